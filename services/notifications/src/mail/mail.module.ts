import { Module } from '@nestjs/common';
import { Mailer } from './mailer';

/** The SMTP relay: pooled connections, failures told apart (see Mailer). */
@Module({ providers: [Mailer], exports: [Mailer] })
export class MailModule {}

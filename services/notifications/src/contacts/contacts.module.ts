import { Module } from '@nestjs/common';
import { ContactBook } from './contact-book.service';

/** Notifications' own list of contacts and their consent, kept from the lifecycle events. */
@Module({ providers: [ContactBook], exports: [ContactBook] })
export class ContactsModule {}

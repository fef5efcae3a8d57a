import { Module } from '@nestjs/common';
import { BounceList } from './bounce-list.service';
import { BounceReceiver } from './bounce-receiver';

/** Bounced addresses: recorded from the relay's refusals and from bounce reports; no mail goes to them. */
@Module({ providers: [BounceList, BounceReceiver], exports: [BounceList, BounceReceiver] })
export class BouncesModule {}

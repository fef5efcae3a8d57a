import { Module } from '@nestjs/common';
import { BouncesModule } from '../bounces';
import { MailModule } from '../mail';
import { TemplatesModule } from '../templates';
import { UnsubscribeModule } from '../unsubscribe';
import { ApplicantStatusLinks } from './applicant-status-links';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryOutcomes } from './delivery-outcomes.service';
import { DeliverySender } from './delivery-sender.service';
import { SignInLinks } from './sign-in-links';

/** Sending the planned deliveries (and recording each outcome), and the deliveries API. */
@Module({
  imports: [MailModule, TemplatesModule, UnsubscribeModule, BouncesModule],
  controllers: [DeliveriesController],
  providers: [DeliveryOutcomes, ApplicantStatusLinks, SignInLinks, DeliverySender, DeliveriesService],
  exports: [DeliverySender],
})
export class DeliveriesModule {}

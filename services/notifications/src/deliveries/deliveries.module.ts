import { Module } from '@nestjs/common';
import { provideEventConsumer } from '@valley/messaging';
import { Mailer } from '../mail/mailer';
import { TemplateRenderer } from '../templates/template-renderer';
import { MembershipEventsConsumer } from './consumers/membership-events.consumer';
import { DeliveryPlanner } from './delivery-planner.service';
import { DeliverySender } from './delivery-sender.service';

@Module({
  providers: [
    Mailer,
    TemplateRenderer,
    DeliveryPlanner,
    DeliverySender,
    MembershipEventsConsumer,
    provideEventConsumer(MembershipEventsConsumer),
  ],
})
export class DeliveriesModule {}

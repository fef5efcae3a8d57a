import { Module } from '@nestjs/common';
import { provideEventConsumer } from '@valley/messaging';
import { ContactBook } from '../contacts/contact-book.service';
import { Mailer } from '../mail/mailer';
import { TemplatesModule } from '../templates/templates.module';
import { UnsubscribeModule } from '../unsubscribe/unsubscribe.module';
import { MembershipEventsConsumer } from './consumers/membership-events.consumer';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryOutcomes } from './delivery-outcomes.service';
import { DeliveryPlanner } from './delivery-planner.service';
import { DeliverySender } from './delivery-sender.service';

@Module({
  imports: [TemplatesModule, UnsubscribeModule],
  controllers: [DeliveriesController],
  providers: [
    Mailer,
    ContactBook,
    DeliveryPlanner,
    DeliveryOutcomes,
    DeliverySender,
    DeliveriesService,
    MembershipEventsConsumer,
    provideEventConsumer(MembershipEventsConsumer),
  ],
})
export class DeliveriesModule {}

import { Module } from '@nestjs/common';
import { BouncesModule } from '../bounces';
import { ContactsModule } from '../contacts';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { MembershipEventsController } from './consumers/membership-events.controller';
import { DeliveryPlanner } from './delivery-planner.service';
import { NotificationsErasure } from '../erasure';

/**
 * The write side: the lifecycle events in, the emails they cause planned as pending deliveries
 * (and the contacts kept up to date); the sender is woken to send them.
 */
@Module({
  imports: [ContactsModule, BouncesModule, DeliveriesModule],
  controllers: [MembershipEventsController],
  providers: [DeliveryPlanner, NotificationsErasure],
})
export class PlanningModule {}

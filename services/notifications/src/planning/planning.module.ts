import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { MembershipEventsController } from './consumers/membership-events.controller';
import { DeliveryPlanner } from './delivery-planner.service';

/**
 * The write side: the lifecycle events in, the emails they cause planned as pending deliveries
 * (and the contacts kept up to date); the sender is woken to send them.
 */
@Module({
  imports: [ContactsModule, DeliveriesModule],
  controllers: [MembershipEventsController],
  providers: [DeliveryPlanner],
})
export class PlanningModule {}

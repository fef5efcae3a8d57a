import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subscriptions, TypedEvent } from '@valley/contracts';
import { ConsumeEvents, PersonalDataKeyring } from '@valley/messaging';
import { DeliverySender } from '../../deliveries';
import { DeliveryPlanner } from '../delivery-planner.service';

/** Thin edge: personal fields opened, the planner records the emails a batch causes; the sender is woken to send them. */
@Controller()
export class MembershipEventsController {
  constructor(
    private readonly planner: DeliveryPlanner,
    private readonly sender: DeliverySender,
    private readonly keyring: PersonalDataKeyring,
  ) {}

  @ConsumeEvents(Subscriptions.notificationsPlanner)
  async plan(@Payload() events: TypedEvent[]): Promise<void> {
    if ((await this.planner.plan(await this.keyring.open(events))) > 0) this.sender.wake();
  }
}

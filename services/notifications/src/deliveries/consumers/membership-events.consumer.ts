import { Injectable } from '@nestjs/common';
import { EventType, Topics, TypedEvent } from '@valley/contracts';
import { EventHandler } from '@valley/messaging';
import { DeliveryPlanner, NOTIFICATIONS_CONSUMER } from '../delivery-planner.service';
import { DeliverySender } from '../delivery-sender.service';

@Injectable()
export class MembershipEventsConsumer implements EventHandler {
  readonly consumerName = NOTIFICATIONS_CONSUMER;
  readonly topics = [Topics.MembershipLifecycle];
  readonly handles: readonly EventType[] = [
    'ApplicationSubmitted',
    'ApplicationRejected',
    'MemberAdmitted',
    'MemberProfileUpdated',
    'MemberSuspended',
    'MemberReinstated',
    'MembershipEnded',
  ];

  constructor(
    private readonly planner: DeliveryPlanner,
    private readonly sender: DeliverySender,
  ) {}

  async handle(events: TypedEvent[]): Promise<void> {
    if ((await this.planner.plan(events)) > 0) this.sender.wake();
  }
}

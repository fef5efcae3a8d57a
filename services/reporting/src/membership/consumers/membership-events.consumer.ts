import { Injectable } from '@nestjs/common';
import { EventType, Topics, TypedEvent } from '@valley/contracts';
import { EventHandler } from '@valley/messaging';
import { MembershipFacts, REPORTING_CONSUMER } from '../membership-facts.service';

@Injectable()
export class MembershipEventsConsumer implements EventHandler {
  readonly consumerName = REPORTING_CONSUMER;
  readonly topics = [Topics.MembershipLifecycle];
  readonly handles: readonly EventType[] = ['MemberAdmitted'];

  constructor(private readonly facts: MembershipFacts) {}

  handle(events: TypedEvent[]): Promise<void> {
    return this.facts.apply(events);
  }
}

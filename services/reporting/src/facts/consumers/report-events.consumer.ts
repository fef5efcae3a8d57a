import { Injectable } from '@nestjs/common';
import { Topics, TypedEvent } from '@valley/contracts';
import { EventHandler } from '@valley/messaging';
import { REPORTED_EVENTS, REPORTING_CONSUMER, ReportFacts } from '../report-facts.service';

/** Membership lifecycle and notification outcomes, in batches, into the report facts. */
@Injectable()
export class ReportEventsConsumer implements EventHandler {
  readonly consumerName = REPORTING_CONSUMER;
  readonly topics = [Topics.MembershipLifecycle, Topics.NotificationDeliveries];
  readonly handles = REPORTED_EVENTS;

  constructor(private readonly facts: ReportFacts) {}

  handle(events: TypedEvent[]): Promise<void> {
    return this.facts.apply(events);
  }
}

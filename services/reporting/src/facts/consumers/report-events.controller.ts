import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subscriptions, TypedEvent } from '@valley/contracts';
import { ConsumeEvents } from '@valley/messaging';
import { ReportFacts } from '../report-facts.service';

/** Membership lifecycle and notification outcomes, in batches, into the report facts. */
@Controller()
export class ReportEventsController {
  constructor(private readonly facts: ReportFacts) {}

  // A member's events (and an application's) share a partition, and a batch writes only its own
  // members' rows, so the partitions of a fetch are applied side by side, as the directory's
  // are: an admission does not wait behind another partition's batch. The daily notification
  // sums are the only rows two batches can share: they are taken in one order (no deadlock), and
  // one that comes anyway is retried like the infrastructure.
  @ConsumeEvents({ ...Subscriptions.reportingFacts, partitionsConcurrently: 6 })
  apply(@Payload() events: TypedEvent[]): Promise<void> {
    return this.facts.apply(events);
  }
}

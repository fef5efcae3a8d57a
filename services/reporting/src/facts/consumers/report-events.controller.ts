import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subscriptions, TypedEvent } from '@valley/contracts';
import { ConsumeEvents } from '@valley/messaging';
import { ReportFacts } from '../report-facts.service';

/** Membership lifecycle and notification outcomes, in batches, into the report facts. */
@Controller()
export class ReportEventsController {
  constructor(private readonly facts: ReportFacts) {}

  @ConsumeEvents(Subscriptions.reportingFacts)
  apply(@Payload() events: TypedEvent[]): Promise<void> {
    return this.facts.apply(events);
  }
}

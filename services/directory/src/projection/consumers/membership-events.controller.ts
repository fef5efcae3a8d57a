import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subscriptions, TypedEvent } from '@valley/contracts';
import { ConsumeEvents } from '@valley/messaging';
import { DirectoryProjection } from '../directory-projection';

/** Thin edge: hands membership events to the projection (live, and in the rebuild). */
@Controller()
export class MembershipEventsController {
  constructor(private readonly projection: DirectoryProjection) {}

  @ConsumeEvents(Subscriptions.directoryProjection)
  apply(@Payload() events: TypedEvent[]): Promise<void> {
    return this.projection.apply(events);
  }
}

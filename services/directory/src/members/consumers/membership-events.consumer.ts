import { Injectable } from '@nestjs/common';
import { EventType, Topics, TypedEvent } from '@valley/contracts';
import { EventHandler } from '@valley/messaging';
import { DIRECTORY_CONSUMER, DirectoryProjection } from '../directory-projection.service';

/** Thin edge: hands membership events to the projection (live, and in the rebuild). */
@Injectable()
export class MembershipEventsConsumer implements EventHandler {
  readonly consumerName = DIRECTORY_CONSUMER;
  readonly topics = [Topics.MembershipLifecycle];
  readonly handles: readonly EventType[] = [
    'MemberAdmitted',
    'MemberProfileUpdated',
    'MemberSuspended',
    'MemberReinstated',
    'MembershipEnded',
  ];

  constructor(private readonly projection: DirectoryProjection) {}

  handle(events: TypedEvent[]): Promise<void> {
    return this.projection.apply(events);
  }
}

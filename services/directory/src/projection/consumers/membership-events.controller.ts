import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Subscriptions, TypedEvent } from '@valley/contracts';
import { ConsumeEvents, PersonalDataKeyring } from '@valley/messaging';
import { DirectoryProjection } from '../directory-projection';

/** Thin edge: opens membership events' personal fields and hands them to the projection (live, and in the rebuild). */
@Controller()
export class MembershipEventsController {
  constructor(
    private readonly projection: DirectoryProjection,
    private readonly keyring: PersonalDataKeyring,
  ) {}

  @ConsumeEvents(Subscriptions.directoryProjection)
  async apply(@Payload() events: TypedEvent[]): Promise<void> {
    await this.projection.apply(await this.keyring.open(events));
  }
}

import { Module } from '@nestjs/common';
import { provideEventConsumer } from '@valley/messaging';
import { MembershipEventsConsumer } from './consumers/membership-events.consumer';
import { MemberCountController } from './member-count.controller';
import { MembershipFacts } from './membership-facts.service';

@Module({
  controllers: [MemberCountController],
  providers: [MembershipFacts, MembershipEventsConsumer, provideEventConsumer(MembershipEventsConsumer)],
})
export class MembershipReportsModule {}

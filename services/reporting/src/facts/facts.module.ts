import { Module } from '@nestjs/common';
import { provideEventConsumer } from '@valley/messaging';
import { ReportEventsConsumer } from './consumers/report-events.consumer';
import { ReportFacts } from './report-facts.service';

@Module({
  providers: [ReportFacts, ReportEventsConsumer, provideEventConsumer(ReportEventsConsumer)],
})
export class FactsModule {}

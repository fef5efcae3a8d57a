import { Module } from '@nestjs/common';
import { ReportEventsController } from './consumers/report-events.controller';
import { ReportFacts } from './report-facts.service';

@Module({
  controllers: [ReportEventsController],
  providers: [ReportFacts],
})
export class FactsModule {}

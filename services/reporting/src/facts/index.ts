export { FactsModule } from './facts.module';
export { ReportEventsController } from './consumers/report-events.controller';
export { READ_MODEL_TABLES, REPORTED_EVENTS, REPORTING_CONSUMER, ReportFacts } from './report-facts.service';
export { ApplicationFact } from './application-fact.entity';
export { MemberInterval } from './member-interval.entity';
export { MemberSpan } from './member-span.entity';

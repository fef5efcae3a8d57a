import { ServiceDatabaseOptions } from '@valley/platform';
import { ApplicationFact } from '../facts/application-fact.entity';
import { MemberInterval } from '../facts/member-interval.entity';
import { MemberSpan } from '../facts/member-span.entity';
import { NotificationBounce } from '../facts/notification-bounce.entity';
import { NotificationDay } from '../facts/notification-day.entity';
import { NotificationOutcome } from '../facts/notification-outcome.entity';
import { InitialSchema1764230700000 } from './migrations/1764230700000-initial-schema';
import { ReportFacts1764400000000 } from './migrations/1764400000000-report-facts';
import { NotificationBounces1765400000000 } from './migrations/1765400000000-notification-bounces';

export const reportingEntities = [
  MemberSpan,
  MemberInterval,
  ApplicationFact,
  NotificationOutcome,
  NotificationDay,
  NotificationBounce,
];

export const reportingDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: reportingEntities,
  migrations: [InitialSchema1764230700000, ReportFacts1764400000000, NotificationBounces1765400000000],
  inbox: true,
};

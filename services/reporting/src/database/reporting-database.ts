import { ServiceDatabaseOptions } from '@valley/platform';
import { MemberTimeline } from '../membership/member-timeline.entity';
import { InitialSchema1764230700000 } from './migrations/1764230700000-initial-schema';

export const reportingDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [MemberTimeline],
  migrations: [InitialSchema1764230700000],
  inbox: true,
};

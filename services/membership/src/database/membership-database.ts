import { ServiceDatabaseOptions } from '@valley/platform';
import { Application } from '../applications/application.entity';
import { Member } from '../members/member.entity';
import { InitialSchema1764230400000 } from './migrations/1764230400000-initial-schema';

/** Membership's tables and migrations, used by the app and by `npm run migrate`. */
export const membershipDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [Application, Member],
  migrations: [InitialSchema1764230400000],
  outbox: true,
};

import { ServiceDatabaseOptions } from '@valley/platform';
import { Application } from '../applications/application.entity';
import { HistoryEntry } from '../history/history-entry.entity';
import { Member } from '../members/member.entity';
import { InitialSchema1764230400000 } from './migrations/1764230400000-initial-schema';
import { LifecycleAndHistory1764300000000 } from './migrations/1764300000000-lifecycle-and-history';
import { MemberSignIn1764400000000 } from './migrations/1764400000000-member-sign-in';
import { OutboxTraceContext1765300000000 } from './migrations/1765300000000-outbox-trace-context';
import { PersonalDataErasure1765500000000 } from './migrations/1765500000000-personal-data-erasure';
import { OrganisationKey } from '../personal-data/organisation-key.entity';
import { MemberSession } from '../sign-in/member-session.entity';
import { SignInLink } from '../sign-in/sign-in-link.entity';

/** Membership's tables and migrations, used by the app and by `npm run migrate`. */
export const membershipDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [Application, Member, HistoryEntry, SignInLink, MemberSession, OrganisationKey],
  migrations: [
    InitialSchema1764230400000,
    LifecycleAndHistory1764300000000,
    MemberSignIn1764400000000,
    OutboxTraceContext1765300000000,
    PersonalDataErasure1765500000000,
  ],
  outbox: true,
};

import { PersonalDataKey } from '@valley/messaging';
import { ServiceDatabaseOptions } from '@valley/platform';
import { BouncingAddress } from '../bounces/bouncing-address.entity';
import { Contact } from '../contacts/contact.entity';
import { ApplicantLink } from '../deliveries/applicant-link.entity';
import { DeliveryCause } from '../deliveries/delivery-cause.entity';
import { Delivery } from '../deliveries/delivery.entity';
import { SignInLink } from '../deliveries/sign-in-link.entity';
import { Unsubscribe } from '../unsubscribe/unsubscribe.entity';
import { InitialSchema1764230600000 } from './migrations/1764230600000-initial-schema';
import { ContactsOutboxUnsubscribes1764240000000 } from './migrations/1764240000000-contacts-outbox-unsubscribes';
import { ApplicantLinks1764600000000 } from './migrations/1764600000000-applicant-links';
import { SignInLinks1764800000000 } from './migrations/1764800000000-sign-in-links';
import { TraceContext1765300000000 } from './migrations/1765300000000-trace-context';
import { BouncingAddresses1765400000000 } from './migrations/1765400000000-bouncing-addresses';
import { PersonalDataKeys1765500000000 } from './migrations/1765500000000-personal-data-keys';

export const notificationsDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [
    Delivery,
    DeliveryCause,
    Contact,
    Unsubscribe,
    ApplicantLink,
    SignInLink,
    BouncingAddress,
    PersonalDataKey,
  ],
  migrations: [
    InitialSchema1764230600000,
    ContactsOutboxUnsubscribes1764240000000,
    ApplicantLinks1764600000000,
    SignInLinks1764800000000,
    TraceContext1765300000000,
    BouncingAddresses1765400000000,
    PersonalDataKeys1765500000000,
  ],
  inbox: true,
  outbox: true,
};

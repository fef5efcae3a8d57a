import { ServiceDatabaseOptions } from '@valley/platform';
import { Contact } from '../contacts/contact.entity';
import { DeliveryCause } from '../deliveries/delivery-cause.entity';
import { Delivery } from '../deliveries/delivery.entity';
import { Unsubscribe } from '../unsubscribe/unsubscribe.entity';
import { InitialSchema1764230600000 } from './migrations/1764230600000-initial-schema';
import { ContactsOutboxUnsubscribes1764240000000 } from './migrations/1764240000000-contacts-outbox-unsubscribes';

export const notificationsDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [Delivery, DeliveryCause, Contact, Unsubscribe],
  migrations: [InitialSchema1764230600000, ContactsOutboxUnsubscribes1764240000000],
  inbox: true,
  outbox: true,
};

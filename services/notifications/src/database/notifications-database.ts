import { ServiceDatabaseOptions } from '@valley/platform';
import { Delivery } from '../deliveries/delivery.entity';
import { InitialSchema1764230600000 } from './migrations/1764230600000-initial-schema';

export const notificationsDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [Delivery],
  migrations: [InitialSchema1764230600000],
  inbox: true,
};

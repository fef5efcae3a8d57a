import { PersonalDataKey } from '@valley/messaging';
import { ServiceDatabaseOptions } from '@valley/platform';
import { DirectoryEntry } from '../projection/directory-entry.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookEvent } from '../webhooks/webhook-event.entity';
import { WebhookSubscription } from '../webhooks/webhook-subscription.entity';
import { InitialSchema1764230500000 } from './migrations/1764230500000-initial-schema';
import { DirectorySearch1764317000000 } from './migrations/1764317000000-directory-search';
import { SearchIndexInMemory1764450000000 } from './migrations/1764450000000-search-index-in-memory';
import { FieldVisibility1764600000000 } from './migrations/1764600000000-field-visibility';
import { Webhooks1765400000000 } from './migrations/1765400000000-webhooks';
import { PersonalDataKeys1765500000000 } from './migrations/1765500000000-personal-data-keys';

export const directoryDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [DirectoryEntry, WebhookSubscription, WebhookEvent, WebhookDelivery, PersonalDataKey],
  migrations: [
    InitialSchema1764230500000,
    DirectorySearch1764317000000,
    SearchIndexInMemory1764450000000,
    FieldVisibility1764600000000,
    Webhooks1765400000000,
    PersonalDataKeys1765500000000,
  ],
  inbox: true,
  outbox: true,
};

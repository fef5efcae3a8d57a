import { ServiceDatabaseOptions } from '@valley/platform';
import { DirectoryEntry } from '../projection/directory-entry.entity';
import { InitialSchema1764230500000 } from './migrations/1764230500000-initial-schema';
import { DirectorySearch1764317000000 } from './migrations/1764317000000-directory-search';
import { SearchIndexInMemory1764450000000 } from './migrations/1764450000000-search-index-in-memory';
import { FieldVisibility1764600000000 } from './migrations/1764600000000-field-visibility';

export const directoryDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [DirectoryEntry],
  migrations: [
    InitialSchema1764230500000,
    DirectorySearch1764317000000,
    SearchIndexInMemory1764450000000,
    FieldVisibility1764600000000,
  ],
  inbox: true,
};

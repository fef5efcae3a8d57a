import { ServiceDatabaseOptions } from '@valley/platform';
import { DirectoryEntry } from '../members/directory-entry.entity';
import { InitialSchema1764230500000 } from './migrations/1764230500000-initial-schema';
import { DirectorySearch1764317000000 } from './migrations/1764317000000-directory-search';

export const directoryDatabase: Omit<ServiceDatabaseOptions, 'url' | 'schema'> = {
  entities: [DirectoryEntry],
  migrations: [InitialSchema1764230500000, DirectorySearch1764317000000],
  inbox: true,
};

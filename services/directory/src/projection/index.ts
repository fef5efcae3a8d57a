// The projection's front door: what the search index, the rebuild and the tests use of the write side.
export { MembershipEventsController } from './consumers/membership-events.controller';
export { DirectoryEntry } from './directory-entry.entity';
export { DIRECTORY_CONSUMER, DirectoryProjection } from './directory-projection';
export type { CommittedListener, EntryTransition, TransitionListener, WrittenEntry } from './directory-projection';
export { ENTRY_STATE_COLUMNS, entryStateFromRow } from './entry-row';
export type { EntryRow } from './entry-row';
export { isListed } from './entry-state';
export type { EntryState, MemberStatus } from './entry-state';

import { Injectable } from '@nestjs/common';
import { EntryState } from '../projection';
import { IndexPage, IndexQuery, IndexSnapshot, PageRequest } from './snapshot/index-snapshot';
import { FacetNames, IndexDictionaries, IndexedMember, indexedMember } from './indexed-member';
import { ValueDictionary, Vocabulary } from './vocabulary';

/**
 * The listed members of the directory in this process's memory, searchable in well under a
 * millisecond. Changes come in batches (MemberIndexFeed); each batch builds a new IndexSnapshot
 * from all members and swaps it in, so a search always sees one consistent moment. Building
 * costs tens of milliseconds at 100,000 members; members change a few times a day, searches
 * come all the time.
 *
 * A provider of SearchModule: each app (and so each test app in one process) has its own.
 */
@Injectable()
export class MemberIndex {
  /** Members by slot; a member keeps its slot while listed, a freed slot goes to the next new one. */
  private readonly members: (IndexedMember | undefined)[] = [];
  private readonly slots = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly dictionaries: IndexDictionaries = {
    words: new Vocabulary(),
    values: FacetNames.map(() => new ValueDictionary()),
  };
  private snapshot = new IndexSnapshot([], this.dictionaries);
  /** Changes with every applied batch: answers computed before are not answers any more. */
  private snapshotVersion = 0;

  get size(): number {
    return this.snapshot.size;
  }

  get version(): number {
    return this.snapshotVersion;
  }

  /** Applies a batch of changes: members now listed (new or changed), and members no longer listed. */
  apply(listed: readonly EntryState[], unlisted: readonly string[]): void {
    if (listed.length === 0 && unlisted.length === 0) return;
    const changedSlots = new Set<number>();
    for (const id of unlisted) {
      const slot = this.slots.get(id);
      if (slot === undefined) continue;
      this.members[slot] = undefined;
      this.slots.delete(id);
      this.freeSlots.push(slot);
      changedSlots.add(slot);
    }
    for (const state of listed) {
      let slot = this.slots.get(state.memberId);
      if (slot === undefined) {
        slot = this.freeSlots.pop() ?? this.members.length;
        this.slots.set(state.memberId, slot);
      }
      this.members[slot] = indexedMember(state, this.dictionaries);
      changedSlots.add(slot);
    }
    this.snapshot = new IndexSnapshot(this.members, this.dictionaries, { snapshot: this.snapshot, changedSlots });
    this.snapshotVersion++;
  }

  get(memberId: string): IndexedMember | undefined {
    const slot = this.slots.get(memberId);
    return slot === undefined ? undefined : this.members[slot];
  }

  search(query: IndexQuery, page: PageRequest): IndexPage {
    return this.snapshot.search(query, page);
  }
}

import { Injectable } from '@nestjs/common';

interface Entry {
  expires: number;
  value: Promise<unknown>;
}

/**
 * A small in-process cache of public answers (search pages, facets, profiles): portal traffic
 * repeats the same first pages and filter panels. This process's projection empties it whenever
 * it applies a change, so an answer here never outlives a change this instance applied. Other
 * instances of the service (each applying its own partitions) empty theirs; what they applied
 * reaches this cache within TTL_MS at the latest. Concurrent misses for one key share one load.
 */
@Injectable()
export class ReadCache {
  static readonly TTL_MS = 5_000;
  static readonly MAX_ENTRIES = 5_000;
  private readonly entries = new Map<string, Entry>();

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const value = load();
    const entry: Entry = { expires: now + ReadCache.TTL_MS, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > ReadCache.MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    // Failures (404, a lost connection) are not kept.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** The read model changed: nothing cached before may be served again. */
  invalidate(): void {
    this.entries.clear();
  }
}

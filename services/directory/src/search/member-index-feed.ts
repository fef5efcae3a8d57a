import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { errorMessage, PollingWorker } from '@valley/messaging';
import { ReadinessChecks } from '@valley/platform';
import { DataSource } from 'typeorm';
import {
  DirectoryEntry,
  ENTRY_STATE_COLUMNS,
  EntryRow,
  entryStateFromRow,
  isListed,
  WrittenEntry,
} from '../projection';
import { MemberIndex } from './member-index';
import { SearchMetrics } from './search-metrics';

/**
 * Fills this instance's MemberIndex from `directory_entries` at start and keeps it in step:
 * every REFRESH_MS it reads the rows changed since the last read, and the rows this instance's
 * projection writes it applies as soon as they commit, as the upsert returned them (`applyWritten`,
 * no read back on the way from an event to the index). The table stays the truth; each instance
 * of the service, whatever partitions its consumer has, sees every change within REFRESH_MS.
 *
 * "Changed since" is exact under concurrent writers: every row carries the id of the transaction
 * that wrote it (`changed_xid`), and each read, one statement and so one snapshot, takes the rows
 * written by transactions not known to be finished at the previous read's snapshot (ids from its
 * xmin on).
 * A row may be read twice; none is missed.
 *
 * A read whose snapshot was taken before a written entry committed returns that entry as it was
 * before: such a row is left alone, where the snapshot does not see the transaction of the version
 * applied (a member's writers take its row's lock one after the other, so a snapshot that sees a
 * later one sees that one too). Likewise a written entry is left alone where a read that saw its
 * transaction committed applied a later version already (another instance's, while this one was
 * slow to get to its own).
 *
 * Readiness (GET /health, `searchIndex`) goes down when no read has succeeded for STALE_AFTER_MS:
 * the instance would answer from an index that no longer follows the table.
 */
@Injectable()
export class MemberIndexFeed implements OnModuleInit, OnModuleDestroy {
  static readonly REFRESH_MS = 250;
  static readonly STALE_AFTER_MS = 10_000;
  private readonly logger = new Logger('MemberIndexFeed');
  /** The xmin of the previous read's snapshot; null before the first (full) read. */
  private from: string | null = null;
  /**
   * Every member's version applied: the transaction that wrote it, and the snapshot of the read
   * that brought it (null: this instance wrote it). A version read again, or older, is skipped.
   */
  private readonly applied = new Map<string, { xid: bigint; readIn: Snapshot | null }>();
  /** Reads every REFRESH_MS, and when asked (catchUp); says when the last read succeeded and why reads fail. */
  private readonly reads: PollingWorker;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly index: MemberIndex,
    private readonly metrics: SearchMetrics,
    private readonly indicators: HealthIndicatorService,
    readiness: ReadinessChecks,
  ) {
    readiness.register(() => this.health());
    const warn = (fields: object, message?: string) =>
      this.logger.warn(`${message}, retrying: ${errorMessage((fields as { err: unknown }).err, { name: false })}`);
    this.reads = new PollingWorker(() => this.readChanges(), {
      name: 'search index refresh',
      component: 'member-index-feed',
      logger: { debug: () => undefined, info: (_fields, message) => this.logger.log(message), warn, error: warn },
      intervalMs: MemberIndexFeed.REFRESH_MS,
      backoff: { initialDelayMs: MemberIndexFeed.REFRESH_MS, maxDelayMs: 2_000 },
      unref: true,
    });
  }

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    await this.catchUp();
    this.logger.log(`search index loaded: ${this.index.size} listed members in ${Date.now() - started} ms`);
    this.reads.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.reads.stop();
  }

  /**
   * Applies every change committed before this call. A call while a read runs waits for one
   * more read after it (that read may have started before the caller's commit).
   */
  async catchUp(): Promise<void> {
    await this.reads.runRound();
  }

  /** Applies entries this instance wrote, once committed, as the upsert returned them. */
  applyWritten(written: readonly WrittenEntry[]): void {
    this.applyRows(
      written.filter((row) => {
        const applied = this.applied.get(row.member_id);
        const xid = BigInt(row.changed_xid);
        return applied === undefined || (applied.xid !== xid && !applied.readIn?.sees(xid));
      }),
      null,
    );
  }

  /** The `searchIndex` readiness check: members indexed and how long ago the table was last read. */
  health() {
    const check = this.indicators.check('searchIndex');
    const details = { members: this.index.size, lastReadMsAgo: Date.now() - (this.reads.lastSuccessAt ?? 0) };
    if (details.lastReadMsAgo <= MemberIndexFeed.STALE_AFTER_MS) return check.up(details);
    const failure = this.reads.failure;
    return check.down({ ...details, error: failure ? errorMessage(failure.error, { name: false }) : 'not read yet' });
  }

  private async readChanges(): Promise<void> {
    const table = this.dataSource.getMetadata(DirectoryEntry).tablePath;
    // One statement, so one snapshot for the xmin and the rows (READ COMMITTED takes a snapshot
    // per statement), and one round trip to the database instead of a transaction's four: this
    // read is on the way from every consumed event to the index, and each round trip counts.
    const changedSince = this.from === null ? 'listed' : 'changed_xid >= $1::bigint';
    const rows: (Partial<EntryRow> & { snapshot: string; changed_xid: string | null })[] = await this.dataSource.query(
      `WITH snapshot AS (SELECT pg_current_snapshot()::text AS snapshot)
         SELECT snapshot.snapshot, entry.*
           FROM snapshot
           LEFT JOIN LATERAL (
             SELECT ${ENTRY_STATE_COLUMNS}, changed_xid::text AS changed_xid FROM ${table} WHERE ${changedSince}
           ) AS entry ON true`,
      this.from === null ? [] : [this.from],
    );
    const snapshot = parseSnapshot(rows[0].snapshot);
    this.applyRows(
      rows.filter((row): row is WrittenEntry & { snapshot: string } => {
        if (row.member_id == null) return false;
        const applied = this.applied.get(row.member_id);
        return applied === undefined || (applied.xid !== BigInt(row.changed_xid!) && snapshot.sees(applied.xid));
      }),
      snapshot,
    );
    this.from = snapshot.xmin.toString();
  }

  private applyRows(rows: readonly WrittenEntry[], readIn: Snapshot | null): void {
    if (rows.length === 0) return;
    for (const row of rows) this.applied.set(row.member_id, { xid: BigInt(row.changed_xid), readIn });
    const states = rows.map(entryStateFromRow);
    const started = process.hrtime.bigint();
    this.index.apply(
      states.filter(isListed),
      states.filter((s) => !isListed(s)).map((s) => s.memberId),
    );
    this.metrics.snapshotBuildSeconds.set(Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/** Which transactions a snapshot sees committed, and the oldest one it did not know finished. */
export interface Snapshot {
  xmin: bigint;
  sees: (xid: bigint) => boolean;
}

/** A pg_snapshot as text (`xmin:xmax:xip,…`). */
export function parseSnapshot(text: string): Snapshot {
  const [xmin, xmax, inProgress] = text.split(':');
  const running = new Set((inProgress ?? '').split(',').filter(Boolean).map(BigInt));
  const lowest = BigInt(xmin);
  const next = BigInt(xmax);
  return { xmin: lowest, sees: (xid) => xid < lowest || (xid < next && !running.has(xid)) };
}

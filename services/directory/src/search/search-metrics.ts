import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@valley/platform';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MemberIndex } from './member-index';

/** The search's own Prometheus metrics, next to every service's defaults at /metrics. */
@Injectable()
export class SearchMetrics {
  /** Answers served, by where they came from: the answer cache or the index. */
  readonly answers: Counter<'source'>;
  /** How long the last index snapshot took to build (the event loop is busy for that long). */
  readonly snapshotBuildSeconds: Gauge;
  /** From this instance's projection commit until its index shows the change (committed → visible). */
  readonly visibleDelaySeconds: Histogram;

  constructor(metrics: ServiceMetrics, index: MemberIndex) {
    const registers = [metrics.registry];
    this.answers = new Counter({
      name: 'valley_directory_search_answers_total',
      help: 'Search and facet answers served, by source: cache (kept for this index snapshot) or index (computed).',
      labelNames: ['source'],
      registers,
    });
    this.snapshotBuildSeconds = new Gauge({
      name: 'valley_directory_index_snapshot_build_seconds',
      help: 'Time the last search index snapshot took to build.',
      registers,
    });
    this.visibleDelaySeconds = new Histogram({
      name: 'valley_directory_visible_delay_seconds',
      help: 'Time from a projection batch committing until this instance’s search index shows it.',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    });
    new Gauge({
      name: 'valley_directory_index_members',
      help: 'Listed members in this process’s search index.',
      registers,
      collect() {
        this.set(index.size);
      },
    });
  }
}

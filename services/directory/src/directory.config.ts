import { ServiceConfig } from '@valley/platform';
import { IsInt, Max, Min } from 'class-validator';

export class DirectoryConfig extends ServiceConfig {
  override PORT: number = 3002;
  override METRICS_PORT: number = 9102;

  /**
   * Search answers kept per index snapshot (0: none). Exact, not stale: the cache empties
   * whenever the index changes. Portal traffic repeats its landing page and filter panels.
   */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  SEARCH_CACHE_ENTRIES: number = 10_000;

  /**
   * Processes serving this instance's port, each with its own search index (about 400 MB at
   * 100,000 members) and its own consumer in the group. One per core spare for the service.
   */
  @IsInt()
  @Min(1)
  @Max(64)
  WORKERS: number = 1;
}

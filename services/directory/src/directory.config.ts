import { PersonalDataKeySetting, ServiceConfig } from '@valley/platform';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';

export class DirectoryConfig extends ServiceConfig {
  override PORT: number = 3002;
  override METRICS_PORT: number = 9102;

  /** The personal-data master key (see PersonalDataKeySetting); DEV ONLY default when unset. */
  @PersonalDataKeySetting()
  PERSONAL_DATA_KEY?: string;

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

  /** How long a partner's endpoint has to answer a webhook before the try counts as failed. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** Tries of one webhook delivery before it is failed for good (about a day at the defaults). */
  @IsInt()
  @Min(1)
  @Max(50)
  WEBHOOK_MAX_ATTEMPTS: number = 12;

  /** The wait after a delivery's first failed try; it doubles (with jitter) up to six hours. */
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_DELAY_MS: number = 30_000;

  /** Deliveries failed for good in a row after which a subscription is paused. */
  @IsInt()
  @Min(1)
  WEBHOOK_PAUSE_AFTER_FAILURES: number = 5;

  /** DEV ONLY: accept http:// subscription URLs (a receiver on this machine); production wants https. */
  @IsBoolean()
  WEBHOOK_ALLOW_HTTP: boolean = false;
}

import { Module, OnModuleInit } from '@nestjs/common';
import { DirectoryProjection } from '../projection';
import { ProjectionModule } from '../projection/projection.module';
import { MemberIndex } from './member-index';
import { MemberIndexFeed } from './member-index-feed';
import { SearchMetrics } from './search-metrics';

/**
 * This instance's in-memory search index of the listed members, fed from `directory_entries`
 * (MemberIndexFeed). One MemberIndex per app: a class provider, built by each app's injector.
 */
@Module({
  imports: [ProjectionModule],
  providers: [MemberIndex, MemberIndexFeed, SearchMetrics],
  exports: [MemberIndex, SearchMetrics],
})
export class SearchModule implements OnModuleInit {
  constructor(
    private readonly projection: DirectoryProjection,
    private readonly feed: MemberIndexFeed,
    private readonly metrics: SearchMetrics,
  ) {}

  /** What this instance's projection commits, its index applies at once (not REFRESH_MS later). */
  onModuleInit(): void {
    this.projection.onCommitted(async (written) => {
      const stopTimer = this.metrics.visibleDelaySeconds.startTimer();
      this.feed.applyWritten(written);
      stopTimer();
    });
  }
}

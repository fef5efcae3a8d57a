import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideEventConsumer } from '@valley/messaging';
import { MemberIndex } from '../search/member-index';
import { MemberIndexFeed } from '../search/member-index-feed';
import { SearchMetrics } from '../search/search-metrics';
import { AnswerCache, CachedAnswerMiddleware } from './answer-cache';
import { MembershipEventsConsumer } from './consumers/membership-events.consumer';
import { DirectoryEntry } from './directory-entry.entity';
import { DirectoryProjection } from './directory-projection.service';
import { DirectoryService } from './directory.service';
import { MembersController } from './members.controller';

@Module({
  imports: [TypeOrmModule.forFeature([DirectoryEntry])],
  controllers: [MembersController],
  providers: [
    { provide: MemberIndex, useValue: new MemberIndex() },
    MemberIndexFeed,
    SearchMetrics,
    AnswerCache,
    DirectoryService,
    DirectoryProjection,
    MembershipEventsConsumer,
    provideEventConsumer(MembershipEventsConsumer),
  ],
})
export class MembersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(CachedAnswerMiddleware)
      .forRoutes({ path: 'members', method: RequestMethod.GET }, { path: 'facets', method: RequestMethod.GET });
  }
}

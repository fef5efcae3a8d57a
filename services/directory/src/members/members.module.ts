import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { SearchModule } from '../search/search.module';
import { AnswerCache, CachedAnswerMiddleware } from './answer-cache';
import { DirectoryService } from './directory.service';
import { MembersController } from './members.controller';

/** The read side over HTTP: `GET /members`, `/members/:id`, `/facets`, answered from the search index. */
@Module({
  imports: [SearchModule],
  controllers: [MembersController],
  providers: [AnswerCache, DirectoryService],
})
export class MembersModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(CachedAnswerMiddleware)
      .forRoutes({ path: 'members', method: RequestMethod.GET }, { path: 'facets', method: RequestMethod.GET });
  }
}

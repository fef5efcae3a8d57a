import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MembershipEventsController } from './consumers/membership-events.controller';
import { DirectoryEntry } from './directory-entry.entity';
import { DirectoryProjection } from './directory-projection';

/**
 * The write side of the read model: membership events in, `directory_entries` out. Knows nothing
 * of search or HTTP; the search index follows the table (SearchModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([DirectoryEntry])],
  controllers: [MembershipEventsController],
  providers: [DirectoryProjection],
  exports: [DirectoryProjection],
})
export class ProjectionModule {}

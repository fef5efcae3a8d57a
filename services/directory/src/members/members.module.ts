import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideEventConsumer } from '@valley/messaging';
import { MembershipEventsConsumer } from './consumers/membership-events.consumer';
import { DirectoryEntry } from './directory-entry.entity';
import { DirectoryProjection } from './directory-projection.service';
import { DirectoryService } from './directory.service';
import { MembersController } from './members.controller';
import { ReadCache } from './read-cache';

@Module({
  imports: [TypeOrmModule.forFeature([DirectoryEntry])],
  controllers: [MembersController],
  providers: [
    DirectoryService,
    ReadCache,
    DirectoryProjection,
    MembershipEventsConsumer,
    provideEventConsumer(MembershipEventsConsumer),
  ],
})
export class MembersModule {}

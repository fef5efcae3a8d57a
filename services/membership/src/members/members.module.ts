import { Module } from '@nestjs/common';
import { MemberImportService } from './import/member-import.service';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';

@Module({
  controllers: [MembersController],
  providers: [MembersService, MemberImportService],
  exports: [MembersService, MemberImportService],
})
export class MembersModule {}

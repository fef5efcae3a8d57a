import { Module } from '@nestjs/common';
import { ApplicantOrCoordinatorGuard } from './applicant-or-coordinator.guard';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

@Module({
  controllers: [ApplicationsController],
  providers: [ApplicationsService, ApplicantOrCoordinatorGuard],
  exports: [ApplicationsService],
})
export class ApplicationsModule {}

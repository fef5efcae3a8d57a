import { Module } from '@nestjs/common';
import { ErasureController } from './erasure.controller';
import { ErasureService } from './erasure.service';

/** Erasure of an organisation's personal data, everywhere (see ErasureService). */
@Module({
  controllers: [ErasureController],
  providers: [ErasureService],
})
export class ErasureModule {}

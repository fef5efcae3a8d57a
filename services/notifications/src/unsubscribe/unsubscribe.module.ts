import { Module } from '@nestjs/common';
import { UnsubscribeTokens } from './unsubscribe-token';
import { UnsubscribeController } from './unsubscribe.controller';
import { UnsubscribeService } from './unsubscribe.service';

@Module({
  controllers: [UnsubscribeController],
  providers: [UnsubscribeTokens, UnsubscribeService],
  exports: [UnsubscribeTokens],
})
export class UnsubscribeModule {}

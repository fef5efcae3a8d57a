import { Module } from '@nestjs/common';
import { ProjectionModule } from '../projection/projection.module';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookFeed } from './webhook-feed';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Webhooks for partner sites: the public changes in the projection's transactions, sent signed, with retries. */
@Module({
  imports: [ProjectionModule],
  controllers: [WebhooksController],
  providers: [WebhookFeed, WebhookDispatcher, WebhooksService],
})
export class WebhooksModule {}

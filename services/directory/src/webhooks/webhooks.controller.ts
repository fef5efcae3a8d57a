import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Coordinator } from '@valley/platform';
import { DirectoryExceptionFilter } from '../errors/directory-exception.filter';
import {
  CreateWebhookDto,
  ReplayResponse,
  ReplayWebhookDto,
  WebhookDeliveryListResponse,
  WebhookDeliveryParams,
  WebhookDeliveryResponse,
  WebhookIdParams,
  WebhookListResponse,
  WebhookResponse,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const NOT_FOUND = 'No such subscription (WEBHOOK_NOT_FOUND).';

/**
 * Partner sites' subscriptions to members joining, changing and leaving, with only what the
 * directory shows anonymously; kept here because the directory is where that public view is made.
 */
@ApiTags('webhooks')
@Controller('webhooks')
@Coordinator()
@UseFilters(DirectoryExceptionFilter)
@ApiBadRequestResponse({ description: 'Invalid input; `fields` names each bad field. Nothing changed.' })
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Registers a partner’s endpoint for the event types it names (coordinator).' })
  @ApiCreatedResponse({ type: WebhookResponse, description: 'Active; its secret is not shown again.' })
  create(@Body() dto: CreateWebhookDto): Promise<WebhookResponse> {
    return this.webhooks.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every subscription, oldest first, with its status (coordinator).' })
  @ApiOkResponse({ type: WebhookListResponse })
  async list(): Promise<WebhookListResponse> {
    return { items: await this.webhooks.list() };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  get(@Param() p: WebhookIdParams): Promise<WebhookResponse> {
    return this.webhooks.get(p.id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Deletes the subscription and its delivery log (coordinator).' })
  @ApiNoContentResponse({ description: 'Deleted: nothing more goes to it.' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  delete(@Param() p: WebhookIdParams): Promise<void> {
    return this.webhooks.delete(p.id);
  }

  @Post(':id/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A paused subscription gets deliveries again, its pending ones first (coordinator).' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  resume(@Param() p: WebhookIdParams): Promise<WebhookResponse> {
    return this.webhooks.resume(p.id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The subscription’s delivery log, newest first: tries, last answer, status (coordinator).' })
  @ApiOkResponse({ type: WebhookDeliveryListResponse })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async deliveries(@Param() p: WebhookIdParams): Promise<WebhookDeliveryListResponse> {
    return { items: await this.webhooks.deliveries(p.id) };
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sends a failed delivery again, with a fresh set of tries (coordinator).' })
  @ApiOkResponse({ type: WebhookDeliveryResponse, description: 'The delivery, pending again.' })
  @ApiNotFoundResponse({ description: 'No such subscription or delivery.' })
  @ApiConflictResponse({ description: 'The delivery has not failed (WEBHOOK_DELIVERY_NOT_FAILED).' })
  retry(@Param() p: WebhookDeliveryParams): Promise<WebhookDeliveryResponse> {
    return this.webhooks.retry(p.id, p.deliveryId);
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Sends every event since a moment again, of the types the subscription asked for, with their own ids (coordinator).',
  })
  @ApiAcceptedResponse({ type: ReplayResponse })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async replay(@Param() p: WebhookIdParams, @Body() dto: ReplayWebhookDto): Promise<ReplayResponse> {
    return { queued: await this.webhooks.replay(p.id, new Date(dto.since)) };
  }
}

import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, Coordinator, CurrentActor } from '@valley/platform';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { BounceList } from '../bounces';
import { NotificationsExceptionFilter } from '../errors/notifications-exception.filter';
import { DeliveriesService } from './deliveries.service';
import { BouncingAddressListResponse } from './dto/bouncing-address.response';
import { DeliveryIdParams } from './dto/delivery-id.params';
import { DeliveryPageResponse } from './dto/delivery-page.response';
import { DeliveryResponse } from './dto/delivery.response';
import { ListDeliveriesQuery } from './dto/list-deliveries.query';

@ApiTags('deliveries')
@Controller('deliveries')
@Coordinator()
@UseFilters(NotificationsExceptionFilter)
@ApiBadRequestResponse({ description: 'Invalid input; `fields` names each bad field. Nothing changed.' })
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly bounces: BounceList,
    @InjectPinoLogger(DeliveriesController.name) private readonly logger: PinoLogger,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The delivery log, newest first: filter by recipient, event, status and template (coordinator).',
  })
  @ApiOkResponse({ type: DeliveryPageResponse })
  list(@Query() query: ListDeliveriesQuery): Promise<DeliveryPageResponse> {
    return this.deliveries.list(query);
  }

  @Get('bouncing')
  @ApiOperation({
    summary:
      'Addresses that bounced for good (refused by the relay, or reported by a bounce report), with the organisation whose contact has each; they get no mail until that email changes (coordinator).',
  })
  @ApiOkResponse({ type: BouncingAddressListResponse })
  async bouncing(): Promise<BouncingAddressListResponse> {
    return { items: await this.bounces.list() };
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sends a failed email again, with a fresh set of tries (coordinator).' })
  @ApiOkResponse({ type: DeliveryResponse, description: 'The delivery, pending again.' })
  @ApiNotFoundResponse({ description: 'No such delivery.' })
  @ApiConflictResponse({
    description:
      'The delivery has not failed (pending or sent): DELIVERY_NOT_FAILED; or its recipient was erased: DELIVERY_RECIPIENT_ERASED.',
  })
  async retry(@Param() params: DeliveryIdParams, @CurrentActor() actor: Actor): Promise<DeliveryResponse> {
    const delivery = await this.deliveries.retry(params.id);
    this.logger.info({ deliveryId: params.id, by: actor.subject }, 'failed delivery retried by the coordinator');
    return delivery;
  }
}

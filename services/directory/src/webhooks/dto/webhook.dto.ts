import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OneLineText } from '@valley/platform';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { WebhookDeliveryStatuses } from '../webhook-delivery.entity';
import { WebhookEventTypes } from '../webhook-event.entity';
import { WEBHOOK_SECRET_PATTERN } from '../webhook-signature';
import { SubscriptionStatuses } from '../webhook-subscription.entity';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://partner.example.lt/valley/webhooks',
    description: 'The endpoint: https (http only where WEBHOOK_ALLOW_HTTP is set, for development).',
    maxLength: 2_000,
  })
  @IsString()
  @MaxLength(2_000)
  @OneLineText()
  url!: string;

  @ApiProperty({ enum: WebhookEventTypes, isArray: true, example: ['member.joined', 'member.left'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WebhookEventTypes.length)
  @ArrayUnique()
  @IsIn(WebhookEventTypes, { each: true, message: `eventTypes must each be one of: ${WebhookEventTypes.join(', ')}` })
  eventTypes!: string[];

  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'The signing secret, as Standard Webhooks writes it: `whsec_` and 24 to 64 random bytes in base64. Never shown again.',
  })
  @IsString()
  @Matches(WEBHOOK_SECRET_PATTERN, { message: 'secret must be whsec_ and 24 to 64 bytes in base64' })
  secret!: string;

  @ApiPropertyOptional({ example: 'Kauno klasterio portalas', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @OneLineText()
  description?: string;
}

export class ReplayWebhookDto {
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-01T00:00:00Z',
    description: 'Every event from this moment on.',
  })
  @IsISO8601({ strict: true }, { message: 'since must be a moment, e.g. 2026-11-01T00:00:00Z' })
  since!: string;
}

export class WebhookIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class WebhookDeliveryParams extends WebhookIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'deliveryId must be a UUID' })
  deliveryId!: string;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: WebhookEventTypes, isArray: true })
  eventTypes!: string[];

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ enum: SubscriptionStatuses, description: 'A paused subscription gets nothing until resumed.' })
  status!: string;

  @ApiProperty({ description: 'Deliveries failed for good since the last one that went through.' })
  consecutiveFailures!: number;

  @ApiProperty({ type: String, nullable: true })
  pausedReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  pausedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] })
  items!: WebhookResponse[];
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The event id: the `webhook-id` header, the receiver’s idempotency key.',
  })
  eventId!: string;

  @ApiProperty({ enum: WebhookEventTypes })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  memberId!: string;

  @ApiProperty({ enum: WebhookDeliveryStatuses })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'The endpoint’s last HTTP status, if it answered.' })
  lastStatusCode!: number | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a pending one is tried next.' })
  nextAttemptAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: string | null;
}

export class WebhookDeliveryListResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse], description: 'Newest first, at most 200.' })
  items!: WebhookDeliveryResponse[];
}

export class ReplayResponse {
  @ApiProperty({ description: 'Deliveries now pending: every event since the moment, of the types asked for.' })
  queued!: number;
}

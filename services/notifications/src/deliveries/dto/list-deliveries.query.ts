import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { TemplateName, TemplateNames } from '../../templates';
import { DeliveryStatus, DeliveryStatuses } from '../delivery.entity';

export const EVENT_FILTER_PATTERN =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Z][A-Za-z]+)$/;

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ description: 'The recipient address (case-insensitive).', example: 'ona@example.lt' })
  @IsOptional()
  @IsEmail({}, { message: 'recipient must be an email address' })
  recipient?: string;

  @ApiPropertyOptional({
    description: 'The causing event: its id (UUID) or its type (`MemberAdmitted`).',
    example: 'MemberAdmitted',
  })
  @IsOptional()
  @Matches(EVENT_FILTER_PATTERN, {
    message: 'event must be an event id (UUID) or an event type such as MemberAdmitted',
  })
  event?: string;

  @ApiPropertyOptional({ enum: DeliveryStatuses })
  @IsOptional()
  @IsIn(DeliveryStatuses)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: TemplateNames, description: 'The email template (`welcome`).' })
  @IsOptional()
  @IsIn(TemplateNames, { message: `template must be one of: ${TemplateNames.join(', ')}` })
  template?: TemplateName;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ description: 'Opaque: the `nextCursor` of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

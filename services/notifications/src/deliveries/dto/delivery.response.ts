import { ApiProperty } from '@nestjs/swagger';
import { ContactLanguages, RecipientKinds } from '@valley/contracts';
import { TemplateNames } from '../../templates';
import { DeliveryStatuses } from '../delivery.entity';

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The event that caused the email.' })
  eventId!: string;

  @ApiProperty({ example: 'MemberAdmitted' })
  eventType!: string;

  @ApiProperty({ example: 'ona@example.lt' })
  recipient!: string;

  @ApiProperty({ enum: RecipientKinds })
  recipientKind!: string;

  @ApiProperty({ enum: TemplateNames })
  template!: string;

  @ApiProperty({ enum: ContactLanguages })
  language!: string;

  @ApiProperty({ enum: DeliveryStatuses })
  status!: string;

  @ApiProperty({ description: 'Tries so far (an unreachable relay uses none).' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '<2f0c…@valley>' })
  messageId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When a pending email is next tried.',
  })
  nextAttemptAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  sentAt!: string | null;
}

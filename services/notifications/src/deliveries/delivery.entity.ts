import { RecipientKind } from '@valley/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { TemplateData } from '../common/template-data';

export const DeliveryStatuses = ['pending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DeliveryStatuses)[number];

/** What an erased organisation's deliveries have instead of its address (followed by the delivery's id). */
export const ERASED_RECIPIENT = 'erased:';

/**
 * One email to one recipient because of one event. The unique key makes a redelivered
 * event plan nothing new; the status makes a sent email go out once.
 */
@Entity({ name: 'deliveries' })
@Unique('UQ_deliveries_event_recipient_template', ['eventId', 'recipient', 'template'])
@Index('IDX_deliveries_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
@Index('IDX_deliveries_recipient', ['recipient'])
@Index('IDX_deliveries_created', ['createdAt', 'id'])
export class Delivery {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  recipient!: string;

  /** Who the recipient is to the cluster, for outcome events (which carry no addresses). */
  @Column({ name: 'recipient_kind', type: 'text' })
  recipientKind!: RecipientKind;

  @Column({ type: 'text' })
  template!: string;

  @Column({ type: 'text' })
  language!: string;

  /** What the template is rendered with, captured when the delivery was planned. */
  @Column({ name: 'template_data', type: 'jsonb' })
  templateData!: TemplateData;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** The SMTP server's queue id / our Message-ID, once accepted. */
  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  /**
   * The trace context of the event's handling that planned this delivery (W3C `traceparent` /
   * `tracestate`): its SMTP send, later, is a span of the same trace. Null while nothing is traced.
   */
  @Column({ type: 'text', nullable: true })
  traceparent!: string | null;

  @Column({ type: 'text', nullable: true })
  tracestate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

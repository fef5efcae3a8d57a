import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The event that caused one or more deliveries, kept as received so that a delivery that fails
 * for good can send its cause to the dead-letter topic, and outcome events can carry its
 * correlation id. One row per event, however many emails it caused.
 */
@Entity({ name: 'delivery_causes' })
export class DeliveryCause {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey!: string;

  @Column({ name: 'correlation_id', type: 'uuid' })
  correlationId!: string;

  /** The envelope as JSON text (text, not jsonb, to keep it as it was). */
  @Column({ type: 'text' })
  envelope!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}

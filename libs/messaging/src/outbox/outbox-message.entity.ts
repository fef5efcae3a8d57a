import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An event waiting to be published (or already published, until cleaned up). */
@Entity({ name: 'outbox_messages' })
@Index('IDX_outbox_messages_unpublished', ['id'], { where: '"published_at" IS NULL' })
export class OutboxMessage {
  /** Commit order within an aggregate: see OutboxWriter. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey!: string;

  /** The whole envelope, exactly as it will be published. */
  @Column({ type: 'jsonb' })
  envelope!: object;

  /**
   * The W3C trace context of the change that appended the event (addOutboxTraceContextV2): the relay
   * sends it on as the `traceparent` / `tracestate` headers. Null while nothing is traced.
   */
  @Column({ type: 'text', nullable: true })
  traceparent!: string | null;

  @Column({ type: 'text', nullable: true })
  tracestate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

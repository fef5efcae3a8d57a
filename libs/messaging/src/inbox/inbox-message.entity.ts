import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per event a consumer has applied; written in the same transaction as the effect. */
@Entity({ name: 'inbox_messages' })
export class InboxMessage {
  @PrimaryColumn({ type: 'text' })
  consumer!: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}

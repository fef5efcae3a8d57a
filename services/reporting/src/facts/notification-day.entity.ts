import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Deliveries per UTC day, template and language: the notifications report sums these rows. */
@Entity({ name: 'notification_days' })
export class NotificationDay {
  @PrimaryColumn({ name: 'day', type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'template', type: 'text' })
  template!: string;

  @PrimaryColumn({ name: 'language', type: 'text' })
  language!: string;

  @Column({ name: 'sent', type: 'integer' })
  sent!: number;

  @Column({ name: 'failed', type: 'integer' })
  failed!: number;
}

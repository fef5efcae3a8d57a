import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bounces (NotificationBounced), counted in the notifications report. */
export class NotificationBounces1765400000000 implements MigrationInterface {
  name = 'NotificationBounces1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reporting"."notification_bounces" (
         "event_id" uuid PRIMARY KEY,
         "delivery_id" uuid,
         "source" text NOT NULL,
         "occurred_at" timestamptz NOT NULL
       )`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notification_bounces_occurred_at" ON "reporting"."notification_bounces" ("occurred_at")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_notification_bounces_delivery_id" ON "reporting"."notification_bounces" ("delivery_id")
       WHERE "delivery_id" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."notification_bounces"`);
  }
}

import { createInboxTableV1, dropInboxTableV1 } from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764230600000 implements MigrationInterface {
  name = 'InitialSchema1764230600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notifications"."deliveries" (
        "id" uuid NOT NULL,
        "event_id" uuid NOT NULL,
        "event_type" text NOT NULL,
        "recipient" text NOT NULL,
        "template" text NOT NULL,
        "language" text NOT NULL,
        "template_data" jsonb NOT NULL,
        "status" text NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL,
        "last_error" text,
        "message_id" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "sent_at" timestamptz,
        CONSTRAINT "PK_notifications_deliveries" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_deliveries_event_recipient_template" UNIQUE ("event_id", "recipient", "template")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_deliveries_due" ON "notifications"."deliveries" ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    await createInboxTableV1(queryRunner, 'notifications');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropInboxTableV1(queryRunner, 'notifications');
    await queryRunner.query(`DROP TABLE "notifications"."deliveries"`);
  }
}

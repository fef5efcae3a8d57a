import { createOutboxTableV1, dropOutboxTableV1 } from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 5: notifications' own view of contacts and consent, recorded unsubscribes, the causes
 * of deliveries (for dead letters), who each delivery went to, and the outbox for
 * NotificationSent / NotificationFailed.
 */
export class ContactsOutboxUnsubscribes1764240000000 implements MigrationInterface {
  name = 'ContactsOutboxUnsubscribes1764240000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notifications"."contacts" (
        "organisation_id" uuid NOT NULL,
        "legal_name" text NOT NULL,
        "contact_name" text NOT NULL,
        "email" text NOT NULL,
        "language" text NOT NULL,
        "announcements" boolean NOT NULL,
        "status" text NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "PK_notifications_contacts" PRIMARY KEY ("organisation_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "notifications"."unsubscribes" (
        "email" text NOT NULL,
        "organisation_id" uuid,
        "unsubscribed_at" timestamptz NOT NULL,
        CONSTRAINT "PK_notifications_unsubscribes" PRIMARY KEY ("email")
      )`);
    await queryRunner.query(`
      CREATE TABLE "notifications"."delivery_causes" (
        "event_id" uuid NOT NULL,
        "event_type" text NOT NULL,
        "topic" text NOT NULL,
        "message_key" text NOT NULL,
        "correlation_id" uuid NOT NULL,
        "envelope" text NOT NULL,
        "received_at" timestamptz NOT NULL,
        CONSTRAINT "PK_notifications_delivery_causes" PRIMARY KEY ("event_id")
      )`);
    // Deliveries planned before this migration were all welcomes to the new member.
    await queryRunner.query(`ALTER TABLE "notifications"."deliveries" ADD COLUMN "recipient_kind" text`);
    await queryRunner.query(`UPDATE "notifications"."deliveries" SET "recipient_kind" = 'member'`);
    await queryRunner.query(`ALTER TABLE "notifications"."deliveries" ALTER COLUMN "recipient_kind" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_deliveries_recipient" ON "notifications"."deliveries" ("recipient")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_deliveries_created" ON "notifications"."deliveries" ("created_at", "id")`,
    );
    await createOutboxTableV1(queryRunner, 'notifications');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTableV1(queryRunner, 'notifications');
    await queryRunner.query(`DROP INDEX "notifications"."IDX_deliveries_created"`);
    await queryRunner.query(`DROP INDEX "notifications"."IDX_deliveries_recipient"`);
    await queryRunner.query(`ALTER TABLE "notifications"."deliveries" DROP COLUMN "recipient_kind"`);
    await queryRunner.query(`DROP TABLE "notifications"."delivery_causes"`);
    await queryRunner.query(`DROP TABLE "notifications"."unsubscribes"`);
    await queryRunner.query(`DROP TABLE "notifications"."contacts"`);
  }
}

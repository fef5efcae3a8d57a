import { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhooks for partner sites: subscriptions, the public changes they hear of, and each delivery. */
export class Webhooks1765400000000 implements MigrationInterface {
  name = 'Webhooks1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "directory"."webhook_subscriptions" (
         "id" uuid PRIMARY KEY,
         "url" text NOT NULL,
         "event_types" text[] NOT NULL,
         "secret" text NOT NULL,
         "description" text,
         "status" text NOT NULL CHECK ("status" IN ('active', 'paused')),
         "consecutive_failures" integer NOT NULL DEFAULT 0,
         "paused_reason" text,
         "paused_at" timestamptz,
         "created_at" timestamptz NOT NULL
       )`,
    );
    await q.query(
      `CREATE TABLE "directory"."webhook_events" (
         "event_id" uuid PRIMARY KEY,
         "type" text NOT NULL,
         "member_id" uuid NOT NULL,
         "data" jsonb NOT NULL,
         "occurred_at" timestamptz NOT NULL
       )`,
    );
    await q.query(`CREATE INDEX "IDX_webhook_events_occurred_at" ON "directory"."webhook_events" ("occurred_at")`);
    await q.query(
      `CREATE TABLE "directory"."webhook_deliveries" (
         "id" uuid PRIMARY KEY,
         "subscription_id" uuid NOT NULL REFERENCES "directory"."webhook_subscriptions" ("id") ON DELETE CASCADE,
         "event_id" uuid NOT NULL REFERENCES "directory"."webhook_events" ("event_id"),
         "status" text NOT NULL CHECK ("status" IN ('pending', 'delivered', 'failed')),
         "attempts" integer NOT NULL DEFAULT 0,
         "next_attempt_at" timestamptz NOT NULL,
         "last_status_code" integer,
         "last_error" text,
         "created_at" timestamptz NOT NULL,
         "delivered_at" timestamptz,
         CONSTRAINT "UQ_webhook_deliveries_subscription_event" UNIQUE ("subscription_id", "event_id")
       )`,
    );
    await q.query(
      `CREATE INDEX "IDX_webhook_deliveries_due" ON "directory"."webhook_deliveries" ("next_attempt_at")
       WHERE "status" = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "directory"."webhook_deliveries"`);
    await q.query(`DROP TABLE "directory"."webhook_events"`);
    await q.query(`DROP TABLE "directory"."webhook_subscriptions"`);
  }
}

import {
  addOutboxTraceContextV2,
  createOutboxTableV1,
  dropOutboxTableV1,
  dropOutboxTraceContextV2,
} from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks for partner sites: subscriptions, the public changes they hear of, and each delivery;
 * and the directory's first outbox (a paused subscription is announced, for the coordinator's email).
 */
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
         "status" text NOT NULL,
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
         "subscription_id" uuid NOT NULL,
         "event_id" uuid NOT NULL,
         "status" text NOT NULL,
         "attempts" integer NOT NULL DEFAULT 0,
         "next_attempt_at" timestamptz NOT NULL,
         "last_status_code" integer,
         "last_error" text,
         "created_at" timestamptz NOT NULL,
         "delivered_at" timestamptz,
         CONSTRAINT "UQ_webhook_deliveries_subscription_event" UNIQUE ("subscription_id", "event_id"),
         CONSTRAINT "FK_webhook_deliveries_subscription" FOREIGN KEY ("subscription_id")
           REFERENCES "directory"."webhook_subscriptions" ("id") ON DELETE CASCADE,
         CONSTRAINT "FK_webhook_deliveries_event" FOREIGN KEY ("event_id")
           REFERENCES "directory"."webhook_events" ("event_id")
       )`,
    );
    await q.query(
      `CREATE INDEX "IDX_webhook_deliveries_due" ON "directory"."webhook_deliveries" ("next_attempt_at")
       WHERE "status" = 'pending'`,
    );
    await createOutboxTableV1(q, 'directory');
    await addOutboxTraceContextV2(q, 'directory');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropOutboxTraceContextV2(q, 'directory');
    await dropOutboxTableV1(q, 'directory');
    await q.query(`DROP TABLE "directory"."webhook_deliveries"`);
    await q.query(`DROP TABLE "directory"."webhook_events"`);
    await q.query(`DROP TABLE "directory"."webhook_subscriptions"`);
  }
}

import { QueryRunner } from 'typeorm';

/**
 * DDL for a producing service's first migration.
 * Frozen: migrations that ran must not change; a later change to the outbox gets a new function.
 */
export async function createOutboxTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}"."outbox_messages" (
      "id" bigserial NOT NULL,
      "event_id" uuid NOT NULL,
      "event_type" text NOT NULL,
      "topic" text NOT NULL,
      "message_key" text NOT NULL,
      "envelope" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "published_at" timestamptz,
      CONSTRAINT "PK_${schema}_outbox_messages" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_${schema}_outbox_messages_event_id" UNIQUE ("event_id")
    )`);
  await queryRunner.query(
    `CREATE INDEX "IDX_outbox_messages_unpublished" ON "${schema}"."outbox_messages" ("id") WHERE "published_at" IS NULL`,
  );
}

/**
 * The trace context of the change that appended each event (W3C `traceparent` / `tracestate`), for
 * the relay to send on as Kafka headers. Nullable: rows appended while tracing is off have none.
 */
export async function addOutboxTraceContextV2(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE "${schema}"."outbox_messages" ADD "traceparent" text, ADD "tracestate" text`);
}

export async function dropOutboxTraceContextV2(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(
    `ALTER TABLE "${schema}"."outbox_messages" DROP COLUMN "traceparent", DROP COLUMN "tracestate"`,
  );
}

export async function dropOutboxTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."outbox_messages"`);
}

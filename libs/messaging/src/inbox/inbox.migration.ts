import { QueryRunner } from 'typeorm';

/**
 * DDL shared by every consuming service's first migration.
 * Frozen: migrations that ran must not change; a later change to the inbox gets a new function.
 */
export async function createInboxTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}"."inbox_messages" (
      "consumer" text NOT NULL,
      "event_id" uuid NOT NULL,
      "event_type" text NOT NULL,
      "processed_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_${schema}_inbox_messages" PRIMARY KEY ("consumer", "event_id")
    )`);
}

export async function dropInboxTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."inbox_messages"`);
}

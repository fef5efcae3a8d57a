import { QueryRunner } from 'typeorm';

/**
 * DDL of a consuming service's copy of the personal-data keys (PersonalDataKey).
 * Frozen: migrations that ran must not change; a later change gets a new function.
 */
export async function createPersonalDataKeysTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}"."personal_data_keys" (
      "organisation_id" uuid NOT NULL,
      "wrapped_key" text,
      "shredded_at" timestamptz,
      CONSTRAINT "PK_${schema}_personal_data_keys" PRIMARY KEY ("organisation_id")
    )`);
}

export async function dropPersonalDataKeysTableV1(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE "${schema}"."personal_data_keys"`);
}

import { createInboxTableV1, dropInboxTableV1 } from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764230500000 implements MigrationInterface {
  name = 'InitialSchema1764230500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "directory"."directory_entries" (
        "member_id" uuid NOT NULL,
        "listed" boolean NOT NULL,
        "legal_name" text NOT NULL,
        "sort_name" text NOT NULL,
        "country" character(2) NOT NULL,
        "region" text NOT NULL,
        "organisation_type" text NOT NULL,
        "size_class" text NOT NULL,
        "sector_codes" text array NOT NULL,
        "focus_areas" text array NOT NULL,
        "website" text,
        "description" text,
        "membership_type" text NOT NULL,
        "member_since" date NOT NULL,
        "last_event_at" timestamptz NOT NULL,
        CONSTRAINT "PK_directory_entries" PRIMARY KEY ("member_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_entries_listed_name" ON "directory"."directory_entries" ("listed", "sort_name", "member_id")`,
    );
    await createInboxTableV1(queryRunner, 'directory');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropInboxTableV1(queryRunner, 'directory');
    await queryRunner.query(`DROP TABLE "directory"."directory_entries"`);
  }
}

import { createOutboxTableV1, dropOutboxTableV1 } from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764230400000 implements MigrationInterface {
  name = 'InitialSchema1764230400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "membership"."applications" (
        "id" uuid NOT NULL,
        "organisation_id" uuid NOT NULL,
        "status" text NOT NULL,
        "legal_name" text NOT NULL,
        "registration_code" text NOT NULL,
        "country" character(2) NOT NULL,
        "region" text NOT NULL,
        "organisation_type" text NOT NULL,
        "size_class" text NOT NULL,
        "sector_codes" text array NOT NULL,
        "focus_areas" text array NOT NULL,
        "website" text,
        "description" text,
        "motivation" text,
        "contact" jsonb NOT NULL,
        "consent" jsonb NOT NULL,
        "applicant_token_hash" text NOT NULL,
        "submitted_at" timestamptz NOT NULL,
        "decided_at" timestamptz,
        "decided_by" text,
        "version" integer NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_membership_applications" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_applications_status_submitted" ON "membership"."applications" ("status", "submitted_at")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_applications_open_registration" ON "membership"."applications" ("country", "registration_code") WHERE "status" IN ('submitted', 'under_review')`,
    );
    await queryRunner.query(`
      CREATE TABLE "membership"."members" (
        "id" uuid NOT NULL,
        "application_id" uuid,
        "membership_type" text NOT NULL,
        "status" text NOT NULL,
        "is_coordinator" boolean NOT NULL DEFAULT false,
        "admitted_on" date NOT NULL,
        "legal_name" text NOT NULL,
        "registration_code" text NOT NULL,
        "country" character(2) NOT NULL,
        "region" text NOT NULL,
        "organisation_type" text NOT NULL,
        "size_class" text NOT NULL,
        "sector_codes" text array NOT NULL,
        "focus_areas" text array NOT NULL,
        "website" text,
        "description" text,
        "contact" jsonb NOT NULL,
        "consent" jsonb NOT NULL,
        "version" integer NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_membership_members" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_members_country_registration_code" UNIQUE ("country", "registration_code")
      )`);
    await createOutboxTableV1(queryRunner, 'membership');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTableV1(queryRunner, 'membership');
    await queryRunner.query(`DROP TABLE "membership"."members"`);
    await queryRunner.query(`DROP TABLE "membership"."applications"`);
  }
}

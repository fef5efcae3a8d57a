import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facts every report is answered from (member spans and intervals, application facts,
 * notification outcomes and their daily sums); replaces the foundation's member_timeline.
 * The read model is rebuilt from the event history (`npm run reporting:rebuild`).
 */
export class ReportFacts1764400000000 implements MigrationInterface {
  name = 'ReportFacts1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."member_timeline"`);
    await queryRunner.query(`
      CREATE TABLE "reporting"."member_spans" (
        "member_id" uuid NOT NULL,
        "seq" integer NOT NULL,
        "membership_type" text NOT NULL,
        "admitted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "ended_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_reporting_member_spans" PRIMARY KEY ("member_id", "seq")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_member_spans_admitted_at" ON "reporting"."member_spans" ("admitted_at")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_member_spans_ended_at" ON "reporting"."member_spans" ("ended_at")`);
    await queryRunner.query(`
      CREATE TABLE "reporting"."member_intervals" (
        "member_id" uuid NOT NULL,
        "seq" integer NOT NULL,
        "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL,
        "valid_to" TIMESTAMP WITH TIME ZONE,
        "status" text NOT NULL,
        "country" text NOT NULL,
        "region" text NOT NULL,
        "organisation_type" text NOT NULL,
        "size_class" text NOT NULL,
        "sector_codes" text array NOT NULL,
        "focus_areas" text array NOT NULL,
        CONSTRAINT "PK_reporting_member_intervals" PRIMARY KEY ("member_id", "seq")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_member_intervals_valid_from" ON "reporting"."member_intervals" ("valid_from")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_member_intervals_valid_to" ON "reporting"."member_intervals" ("valid_to")`,
    );
    await queryRunner.query(`
      CREATE TABLE "reporting"."application_facts" (
        "application_id" uuid NOT NULL,
        "organisation_id" uuid NOT NULL,
        "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "outcome" text,
        CONSTRAINT "PK_reporting_application_facts" PRIMARY KEY ("application_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_application_facts_submitted_at" ON "reporting"."application_facts" ("submitted_at")`,
    );
    await queryRunner.query(`
      CREATE TABLE "reporting"."notification_outcomes" (
        "delivery_id" uuid NOT NULL,
        "outcome" text NOT NULL,
        "template" text NOT NULL,
        "language" text NOT NULL,
        "recipient_kind" text NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_reporting_notification_outcomes" PRIMARY KEY ("delivery_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "reporting"."notification_days" (
        "day" date NOT NULL,
        "template" text NOT NULL,
        "language" text NOT NULL,
        "sent" integer NOT NULL,
        "failed" integer NOT NULL,
        CONSTRAINT "PK_reporting_notification_days" PRIMARY KEY ("day", "template", "language")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."notification_days"`);
    await queryRunner.query(`DROP TABLE "reporting"."notification_outcomes"`);
    await queryRunner.query(`DROP TABLE "reporting"."application_facts"`);
    await queryRunner.query(`DROP TABLE "reporting"."member_intervals"`);
    await queryRunner.query(`DROP TABLE "reporting"."member_spans"`);
    await queryRunner.query(`
      CREATE TABLE "reporting"."member_timeline" (
        "member_id" uuid NOT NULL,
        "membership_type" text NOT NULL,
        "admitted_on" date NOT NULL,
        "left_on" date,
        CONSTRAINT "PK_reporting_member_timeline" PRIMARY KEY ("member_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_member_timeline_admitted_on" ON "reporting"."member_timeline" ("admitted_on")`,
    );
  }
}

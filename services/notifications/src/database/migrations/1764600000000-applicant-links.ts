import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 12: applicant tokens waiting for the acknowledgement email's status link. */
export class ApplicantLinks1764600000000 implements MigrationInterface {
  name = 'ApplicantLinks1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notifications"."applicant_links" (
        "application_id" uuid NOT NULL,
        "applicant_token" text NOT NULL,
        "received_at" timestamptz NOT NULL,
        CONSTRAINT "PK_notifications_applicant_links" PRIMARY KEY ("application_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"."applicant_links"`);
  }
}

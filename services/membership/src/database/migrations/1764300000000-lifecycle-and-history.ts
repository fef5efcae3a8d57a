import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 3: decision reasons, member statement and logo, status reasons, and the history of decisions. */
export class LifecycleAndHistory1764300000000 implements MigrationInterface {
  name = 'LifecycleAndHistory1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "membership"."applications" ADD "decision_reason" text`);
    await queryRunner.query(`ALTER TABLE "membership"."members" ADD "statement" text`);
    await queryRunner.query(`ALTER TABLE "membership"."members" ADD "logo_url" text`);
    await queryRunner.query(`ALTER TABLE "membership"."members" ADD "status_reason" text`);
    await queryRunner.query(`ALTER TABLE "membership"."members" ADD "ended_on" date`);
    await queryRunner.query(
      `CREATE INDEX "IDX_members_status_legal_name" ON "membership"."members" ("status", "legal_name")`,
    );
    await queryRunner.query(`
      CREATE TABLE "membership"."history" (
        "id" bigserial NOT NULL,
        "subject" text NOT NULL,
        "subject_id" uuid NOT NULL,
        "action" text NOT NULL,
        "from_status" text,
        "to_status" text,
        "actor" text NOT NULL,
        "reason" text,
        "at" timestamptz NOT NULL,
        CONSTRAINT "PK_membership_history" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_history_subject" ON "membership"."history" ("subject_id", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "membership"."history"`);
    await queryRunner.query(`DROP INDEX "membership"."IDX_members_status_legal_name"`);
    await queryRunner.query(`ALTER TABLE "membership"."members" DROP COLUMN "ended_on"`);
    await queryRunner.query(`ALTER TABLE "membership"."members" DROP COLUMN "status_reason"`);
    await queryRunner.query(`ALTER TABLE "membership"."members" DROP COLUMN "logo_url"`);
    await queryRunner.query(`ALTER TABLE "membership"."members" DROP COLUMN "statement"`);
    await queryRunner.query(`ALTER TABLE "membership"."applications" DROP COLUMN "decision_reason"`);
  }
}

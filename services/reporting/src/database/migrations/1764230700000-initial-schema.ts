import { createInboxTableV1, dropInboxTableV1 } from '@valley/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764230700000 implements MigrationInterface {
  name = 'InitialSchema1764230700000';

  async up(queryRunner: QueryRunner): Promise<void> {
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
    await createInboxTableV1(queryRunner, 'reporting');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropInboxTableV1(queryRunner, 'reporting');
    await queryRunner.query(`DROP TABLE "reporting"."member_timeline"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-field visibility (issue 14): each entry keeps who the member chose to see its contact
 * person's name, email and phone, website, description, statement and logo (`public`, `members`,
 * `hidden`), as the events carried it. `{}` is no choice: the defaults, today's behaviour
 * (contact details public only with the contact consent, the rest public), so existing rows need
 * no rebuild.
 */
export class FieldVisibility1764600000000 implements MigrationInterface {
  name = 'FieldVisibility1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "directory"."directory_entries" ADD "visibility" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "directory"."directory_entries" DROP "visibility"`);
  }
}

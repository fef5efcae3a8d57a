import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Crypto-shredding and erasure: a personal-data key per organisation (wrapped with the master
 * key), and applications and members whose contact can be erased (null) with the time it was.
 */
export class PersonalDataErasure1765500000000 implements MigrationInterface {
  name = 'PersonalDataErasure1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "membership"."organisation_keys" (
         "organisation_id" uuid PRIMARY KEY,
         "wrapped_key" text,
         "created_at" timestamptz NOT NULL DEFAULT now(),
         "shredded_at" timestamptz
       )`,
    );
    for (const table of ['members', 'applications']) {
      await q.query(`ALTER TABLE "membership"."${table}" ALTER COLUMN "contact" DROP NOT NULL`);
      await q.query(`ALTER TABLE "membership"."${table}" ADD COLUMN "erased_at" timestamptz`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['members', 'applications']) {
      await q.query(`ALTER TABLE "membership"."${table}" DROP COLUMN "erased_at"`);
      await q.query(`ALTER TABLE "membership"."${table}" ALTER COLUMN "contact" SET NOT NULL`);
    }
    await q.query(`DROP TABLE "membership"."organisation_keys"`);
  }
}

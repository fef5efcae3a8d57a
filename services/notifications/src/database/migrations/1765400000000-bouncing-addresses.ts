import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bounces: addresses that bounced for good, which get no more mail until the contact's email changes. */
export class BouncingAddresses1765400000000 implements MigrationInterface {
  name = 'BouncingAddresses1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notifications"."bouncing_addresses" (
         "address" text PRIMARY KEY,
         "source" text NOT NULL,
         "status_code" text,
         "reason" text NOT NULL,
         "delivery_id" uuid,
         "bounced_at" timestamptz NOT NULL
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"."bouncing_addresses"`);
  }
}

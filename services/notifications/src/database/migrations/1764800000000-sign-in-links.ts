import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: the tokens of members' sign-in links, one per delivery, until the email has gone out
 * (or failed for good, or expired). Deleting a delivery deletes its token.
 */
export class SignInLinks1764800000000 implements MigrationInterface {
  name = 'SignInLinks1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notifications"."sign_in_links" (
        "delivery_id" uuid NOT NULL,
        "sign_in_token" text NOT NULL,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "PK_notifications_sign_in_links" PRIMARY KEY ("delivery_id"),
        CONSTRAINT "FK_notifications_sign_in_links_delivery" FOREIGN KEY ("delivery_id")
          REFERENCES "notifications"."deliveries" ("id") ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"."sign_in_links"`);
  }
}

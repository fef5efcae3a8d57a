import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 14: per-field visibility, one-time sign-in links (their hashes) and member sessions. */
export class MemberSignIn1764400000000 implements MigrationInterface {
  name = 'MemberSignIn1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "membership"."members" ADD "visibility" jsonb`);
    await queryRunner.query(`
      CREATE TABLE "membership"."sign_in_links" (
        "token_hash" text NOT NULL,
        "member_id" uuid NOT NULL,
        "email" text NOT NULL,
        "requested_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        CONSTRAINT "PK_sign_in_links" PRIMARY KEY ("token_hash"),
        CONSTRAINT "FK_sign_in_links_member" FOREIGN KEY ("member_id") REFERENCES "membership"."members" ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_sign_in_links_expires_at" ON "membership"."sign_in_links" ("expires_at")`,
    );
    await queryRunner.query(`
      CREATE TABLE "membership"."member_sessions" (
        "id" uuid NOT NULL,
        "member_id" uuid NOT NULL,
        "subject" text NOT NULL,
        "refresh_token_hash" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "refreshed_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "ended_at" timestamptz,
        CONSTRAINT "PK_member_sessions" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_member_sessions_refresh_token_hash" UNIQUE ("refresh_token_hash"),
        CONSTRAINT "FK_member_sessions_member" FOREIGN KEY ("member_id") REFERENCES "membership"."members" ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_member_sessions_member" ON "membership"."member_sessions" ("member_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "membership"."member_sessions"`);
    await queryRunner.query(`DROP TABLE "membership"."sign_in_links"`);
    await queryRunner.query(`ALTER TABLE "membership"."members" DROP COLUMN "visibility"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The searchable directory: lifecycle status and consents, public profile fields, folded search
 * columns and their indexes. Needs the pg_trgm extension in the directory schema (created by the
 * admin role in scripts/infra/postgres.ts). Existing rows get placeholder values: run
 * `npm run directory:rebuild` after this migration on a database that already had entries.
 */
export class DirectorySearch1764317000000 implements MigrationInterface {
  name = 'DirectorySearch1764317000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "directory"."directory_entries"
        ADD "status" text NOT NULL DEFAULT 'active',
        ADD "listing_consent" boolean NOT NULL DEFAULT true,
        ADD "contact_consent" boolean NOT NULL DEFAULT false,
        ADD "search_name" text NOT NULL DEFAULT '',
        ADD "search_vector" tsvector NOT NULL DEFAULT ''::tsvector,
        ADD "sector_prefixes" text array NOT NULL DEFAULT '{}',
        ADD "statement" text,
        ADD "logo_url" text,
        ADD "contact_name" text,
        ADD "contact_email" text,
        ADD "contact_phone" text`);
    await queryRunner.query(`
      ALTER TABLE "directory"."directory_entries"
        ALTER "status" DROP DEFAULT,
        ALTER "listing_consent" DROP DEFAULT,
        ALTER "contact_consent" DROP DEFAULT,
        ALTER "search_name" DROP DEFAULT,
        ALTER "search_vector" DROP DEFAULT,
        ALTER "sector_prefixes" DROP DEFAULT`);
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_entries_listed_since" ON "directory"."directory_entries" ("listed", "member_since", "member_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_entries_search" ON "directory"."directory_entries" USING gin ("search_vector")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_entries_name_trgm" ON "directory"."directory_entries" USING gin ("search_name" "directory".gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_entries_sectors" ON "directory"."directory_entries" USING gin ("sector_prefixes")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_entries_focus_areas" ON "directory"."directory_entries" USING gin ("focus_areas")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['focus_areas', 'sectors', 'name_trgm', 'search', 'listed_since']) {
      await queryRunner.query(`DROP INDEX "directory"."IDX_directory_entries_${index}"`);
    }
    await queryRunner.query(`
      ALTER TABLE "directory"."directory_entries"
        DROP "status", DROP "listing_consent", DROP "contact_consent", DROP "search_name",
        DROP "search_vector", DROP "sector_prefixes", DROP "statement", DROP "logo_url",
        DROP "contact_name", DROP "contact_email", DROP "contact_phone"`);
  }
}

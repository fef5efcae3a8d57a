import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search moves from Postgres into each instance's in-memory MemberIndex: the folded search
 * columns and their GIN and ordering indexes go (they made every projection write, and so the
 * rebuild, several times slower). In their place `changed_xid`, the transaction that last wrote
 * a row, from which every instance's index reads what changed.
 */
export class SearchIndexInMemory1764450000000 implements MigrationInterface {
  name = 'SearchIndexInMemory1764450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['focus_areas', 'sectors', 'name_trgm', 'search', 'listed_since', 'listed_name']) {
      await queryRunner.query(`DROP INDEX "directory"."IDX_directory_entries_${index}"`);
    }
    await queryRunner.query(`
      ALTER TABLE "directory"."directory_entries"
        DROP "sort_name", DROP "search_name", DROP "search_vector", DROP "sector_prefixes",
        ADD "changed_xid" bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint`);
    // Existing rows got this migration's transaction; the projection sets it on every write.
    await queryRunner.query(`ALTER TABLE "directory"."directory_entries" ALTER "changed_xid" DROP DEFAULT`);
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_entries_changed_xid" ON "directory"."directory_entries" ("changed_xid")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "directory"."IDX_directory_entries_changed_xid"`);
    // The search columns come back empty: run `npm run directory:rebuild` on the older version.
    await queryRunner.query(`
      ALTER TABLE "directory"."directory_entries"
        DROP "changed_xid",
        ADD "sort_name" text NOT NULL DEFAULT '',
        ADD "search_name" text NOT NULL DEFAULT '',
        ADD "search_vector" tsvector NOT NULL DEFAULT ''::tsvector,
        ADD "sector_prefixes" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_entries_listed_name" ON "directory"."directory_entries" ("listed", "sort_name", "member_id")`,
    );
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
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { STAFF_DIRECTORY_SCHEMA } from './staff-directory.projection.js';

/**
 * The staff search's trigram index without a pending list: with fastupdate on, every search read
 * the list of entries not yet merged (up to 4 MB) in full (decision 0009). Its entries are merged
 * now; where pg_trgm could not be installed there is no such index and nothing to do.
 */
export class StaffSearchIndexFastupdateOff1764300000300 implements MigrationInterface {
  name = 'StaffSearchIndexFastupdateOff1764300000300';

  async up(runner: QueryRunner): Promise<void> {
    const index = `${STAFF_DIRECTORY_SCHEMA}.staff_name_trgm`;
    const [found] = (await runner.query(`SELECT to_regclass($1) IS NOT NULL AS found`, [index])) as {
      found: boolean;
    }[];
    if (!found?.found) return;
    await runner.query(`ALTER INDEX ${index} SET (fastupdate = off)`);
    await runner.query(`SELECT gin_clean_pending_list($1::regclass)`, [index]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER INDEX IF EXISTS ${STAFF_DIRECTORY_SCHEMA}.staff_name_trgm SET (fastupdate = on)`,
    );
  }
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedCluster } from '../../libs/event-store/src/postgres/embedded-postgres.js';

type EmbeddedModule = typeof import('../../libs/event-store/src/postgres/embedded-postgres.js');
// Jest loads global set-up files as CommonJS, outside its ESM module mapper: name the source
// without the `.js` that the ESM build needs, so its TypeScript hook resolves the .ts file.
const EMBEDDED_MODULE = '../../libs/event-store/src/postgres/embedded-postgres';

/**
 * Tests talk to a real PostgreSQL: DATABASE_URL when set (CI: the local server on 127.0.0.1:5432),
 * otherwise an embedded cluster started here for the run. Each test file creates its own database
 * (test/support/test-database.ts), so files and workers never share state.
 */
export default async function globalSetup(): Promise<void> {
  // The contract check (global-teardown.ts): every e2e response is recorded in this run's directory.
  if (process.env.CADRE_TEST_LAYER === 'e2e') {
    process.env.CADRE_CONTRACT_DIR = mkdtempSync(join(tmpdir(), 'cadre-contract-'));
  }
  if (process.env.DATABASE_URL || process.env.CADRE_TEST_LAYER === 'unit') return;
  const { startEmbeddedPostgres } = (await import(EMBEDDED_MODULE)) as EmbeddedModule;
  const dataDir = join(mkdtempSync(join(tmpdir(), 'cadre-test-pg-')), 'data');
  const cluster = await startEmbeddedPostgres({ dataDir });
  process.env.DATABASE_URL = cluster.url;
  (globalThis as { __cadreEmbedded?: EmbeddedCluster }).__cadreEmbedded = cluster;
}

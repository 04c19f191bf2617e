/**
 * Writes the OpenAPI document, exactly as `/docs-json` serves it, to a file (default
 * `openapi.json`), e.g. to generate a client: `npm run openapi -- [file]`. It builds the api as
 * `npm start` does (DATABASE_URL, or the embedded cluster in CADRE_DATA_DIR), without listening.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { startEmbeddedDatabase } from '@cadre/event-store/embedded';
import { createLogger, loadConfig } from '@cadre/platform';
import { apiDocument } from '../apps/api/src/api-document.js';
import { createServerApp } from '../server/create-server-app.js';

async function main(): Promise<void> {
  const file = process.argv[2] ?? 'openapi.json';
  const config = loadConfig({ ...process.env, CADRE_IN_PROCESS_WORKER: 'false' });
  const logger = createLogger({ level: 'warn' });
  const embeddedCluster = config.DATABASE_URL
    ? undefined
    : startEmbeddedDatabase(config.CADRE_DATA_DIR, logger);
  const app = await createServerApp({ config, logger, embeddedCluster });
  try {
    const document = apiDocument(app);
    writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
    console.log(`${file}: ${Object.keys(document.paths).length} paths`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { rmSync } from 'node:fs';
import type { EmbeddedCluster } from '../../libs/event-store/src/postgres/embedded-postgres.js';

type ContractModule = typeof import('./contract/check-contract.js');
// Loaded as CommonJS, like global-setup.ts's embedded module: named without `.js`.
const CONTRACT_MODULE = './contract/check-contract';

interface RunConfig {
  readonly testPathPatterns?: { readonly patterns?: readonly string[] };
  readonly testNamePattern?: string;
}

export default async function globalTeardown(globalConfig: RunConfig): Promise<void> {
  const cluster = (globalThis as { __cadreEmbedded?: EmbeddedCluster }).__cadreEmbedded;
  if (cluster) await cluster.stop();
  await checkTheContract(globalConfig);
}

/**
 * After the e2e layer: every response it observed validates against the OpenAPI document, and —
 * when the whole layer ran, not a selection of files or tests — every operation was observed.
 * Throwing here fails the run (jest exits 1).
 */
async function checkTheContract(globalConfig: RunConfig): Promise<void> {
  const dir = process.env.CADRE_CONTRACT_DIR;
  if (!dir) return;
  const whole = (globalConfig.testPathPatterns?.patterns ?? []).length === 0 && !globalConfig.testNamePattern;
  const { checkContract } = (await import(CONTRACT_MODULE)) as ContractModule;
  const failures = checkContract(dir, whole);
  if (failures.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  throw new Error(
    `The API does not keep its OpenAPI contract (observations kept in ${dir}):\n  ${failures.join('\n  ')}`,
  );
}

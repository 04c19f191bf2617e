import type { EmbeddedCluster } from '../../libs/event-store/src/postgres/embedded-postgres.js';

export default async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as { __cadreEmbedded?: EmbeddedCluster }).__cadreEmbedded;
  if (cluster) await cluster.stop();
}

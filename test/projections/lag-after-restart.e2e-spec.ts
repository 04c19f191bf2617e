import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProjectionWorker } from '@cadre/subscriptions/nest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp } from '../platform/support/platform-test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Issue 12, item 8: the lag of every projection read as the whole log for the seconds after each
 * restart (the runner's position was null until it had read its checkpoint), so a lag alert fired
 * at every deploy. The lag now comes from the checkpoints table: right after a restart it is what
 * was left to apply, and nothing is reported for a projection whose checkpoint is not known.
 */
describe('projection lag after a restart', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('lag_restart');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('is what was left to apply at once, not the whole log', async () => {
    const first = await startPlatformTestApp({ env: { DATABASE_URL: database.url } });
    try {
      const fixtures = CadreFixtures.of(first);
      await fixtures.sampleFramework(['AL']);
      await fixtures.certify(await fixtures.staff(), 'dynamic-security', 'awareness');
      const worker = first.app.get(ProjectionWorker);
      for (let i = 0; i < 200; i += 1) {
        if ((await worker.measure()).every((lag) => lag.lagEvents === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await worker.measure()).every((lag) => lag.lagEvents === 0)).toBe(true);
    } finally {
      await first.close();
    }

    const second = await startPlatformTestApp({ env: { DATABASE_URL: database.url } });
    try {
      const lags = await second.app.get(ProjectionWorker).measure();
      expect(lags.length).toBeGreaterThan(10);
      for (const lag of lags)
        expect({ name: lag.name, lagEvents: lag.lagEvents }).toEqual({ name: lag.name, lagEvents: 0 });
      const metrics = await second.app.get(ProjectionWorker).lag();
      expect(metrics.every((lag) => lag.lagEvents === null || lag.lagEvents === 0)).toBe(true);
    } finally {
      await second.close();
    }
  });
});

// A projection worker in a child process, for the SIGKILL test: it applies the history projection
// and, in the batch that holds the event it is told to stop at, signals the parent and waits inside
// the batch's open transaction until it is killed. Runs the built code (dist/), as production does.
import { writeFileSync } from 'node:fs';
import pg from 'pg';

const [, , distRoot, databaseUrl, stopAtEventId, markerFile] = process.argv;
const { PostgresEventStore } = await import(`${distRoot}/libs/event-store/src/index.js`);
const { ProjectionRunner } = await import(`${distRoot}/libs/subscriptions/src/index.js`);
const { readModelProjections } = await import(`${distRoot}/libs/read-models/src/index.js`);

const store = await PostgresEventStore.connect({ connectionString: databaseUrl });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const history = readModelProjections({}).find((projection) => projection.name === 'history');
const runner = new ProjectionRunner(store, pool, databaseUrl, history, {
  batchSize: 50,
  leaseRetryMs: 50,
  inBatchHookForTests: async (events) => {
    if (events.some((event) => event.eventId === stopAtEventId)) {
      writeFileSync(markerFile, 'inside the batch');
      await new Promise(() => undefined); // until SIGKILL
    }
  },
});
runner.start();

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuplicateEventIdError, PostgresEventStore, type NewEvent } from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** What the PostgreSQL adapter promises beyond the contract every adapter keeps. */
describe('PostgreSQL adapter specifics', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('es_specifics');
    store = await PostgresEventStore.connect({ connectionString: database.url });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  // EventStoreDB deduplicates ids within a stream only; PostgreSQL has a unique index over the log.
  it('refuses an event id already recorded in another stream, writing nothing', async () => {
    const original = event();
    await store.append('staff-1', [original]);

    await expect(store.append('team-1', [original])).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream('team-1')).toEqual([]);
  });

  it('stamps recordedAt in UTC with milliseconds, so an instant read back selects the same events', async () => {
    await store.append('staff-2', [event(), event()]);
    const [first] = await store.readStream('staff-2');
    expect(first.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await store.readStream('staff-2', { untilRecordedAt: first.recordedAt })).toHaveLength(2);
  });
});

function event(): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'Happened',
    data: {},
    metadata: {
      correlationId: 'c',
      causationId: null,
      actor: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}

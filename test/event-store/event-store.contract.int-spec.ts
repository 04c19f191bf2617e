import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DuplicateEventIdError,
  InvalidEventError,
  InvalidPositionError,
  UpcasterChain,
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@cadre/event-store';
import { adapters, type StoreUnderTest } from './adapters.js';
import { stopEmbeddedForTests } from './postgres-adapters.js';

/**
 * The one contract every event-store adapter keeps. Each adapter of `adapters.ts` runs it on a
 * store of its own; every test writes streams named with a suffix of its own and looks only at
 * those, so the tests share the store (and could share a real server) without seeing each other.
 */
describe.each(adapters)('event store contract: $name', (adapter) => {
  let sut: StoreUnderTest;
  let store: EventStore;
  // Unique names, so that the suite can also run against a shared real server.
  let run: string;
  const s = (name: string): string => `${name}-${run}`;

  beforeAll(async () => {
    sut = await adapter.create({ upcast: RELOCATED_V3.upcast });
    store = sut.store;
  });
  beforeEach(() => {
    run = randomUUID().slice(0, 8);
  });
  afterAll(async () => {
    await sut?.dispose();
    await stopEmbeddedForTests();
  });

  describe('expected revision', () => {
    it('no_stream creates a stream once and then conflicts, naming the actual revision', async () => {
      const first = await store.append(s('staff'), [event('A')], { expectedRevision: 'no_stream' });
      expect(first.nextRevision).toBe(0);

      const refusal = await store
        .append(s('staff'), [event('B')], { expectedRevision: 'no_stream' })
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(WrongExpectedRevisionError);
      expect(refusal).toMatchObject({ expected: 'no_stream', actual: 0 });
      expect(await types(store, s('staff'))).toEqual(['A']);
    });

    it('an exact revision appends when it matches and conflicts when it does not', async () => {
      await store.append(s('staff'), [event('A'), event('B')], { expectedRevision: 'no_stream' });
      const ok = await store.append(s('staff'), [event('C')], { expectedRevision: 1 });
      expect(ok.nextRevision).toBe(2);

      const stale = await store
        .append(s('staff'), [event('D')], { expectedRevision: 1 })
        .catch((e: unknown) => e);
      expect(stale).toMatchObject({ code: 'EVENT_STORE.WRONG_EXPECTED_REVISION', expected: 1, actual: 2 });
      const ahead = await store
        .append(s('team'), [event('D')], { expectedRevision: 0 })
        .catch((e: unknown) => e);
      expect(ahead).toMatchObject({ expected: 0, actual: 'no_stream' });
      expect(await types(store, s('staff'))).toEqual(['A', 'B', 'C']);
      expect(await store.readStream(s('team'))).toEqual([]);
    });

    it('stream_exists refuses an empty stream and accepts an existing one', async () => {
      const refusal = await store
        .append(s('staff'), [event('A')], { expectedRevision: 'stream_exists' })
        .catch((e: unknown) => e);
      expect(refusal).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });

      await store.append(s('staff'), [event('A')]);
      const ok = await store.append(s('staff'), [event('B')], { expectedRevision: 'stream_exists' });
      expect(ok.nextRevision).toBe(1);
    });

    it('concurrent `any` appends all land, in one unbroken hash chain', async () => {
      const writes = Array.from({ length: 12 }, (_, i) => store.append(s('team'), [event(`E${i}`)]));
      // 12 concurrent writers, one stream: each must read the previous hash inside its own transaction.
      const results = await Promise.all(writes);

      expect(results.map((r) => r.nextRevision).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
      const integrity = await store.verifyStream(s('team'));
      expect(integrity).toMatchObject({ ok: true, eventCount: 12, headRevision: 11 });
    });
  });

  describe('idempotent retry', () => {
    it('appending the same events again is a no-op that returns the first result', async () => {
      const batch = [event('A'), event('B')];
      const first = await store.append(s('staff'), batch, { expectedRevision: 'no_stream' });
      const again = await store.append(s('staff'), batch, { expectedRevision: 'no_stream' });

      expect(again).toEqual(first);
      expect(await types(store, s('staff'))).toEqual(['A', 'B']);
    });

    it('refuses an event id already recorded with other content, writing nothing', async () => {
      const original = event('A', { n: 1 });
      await store.append(s('staff'), [original]);

      const refusal = await store
        .append(s('staff'), [{ ...original, data: { n: 2 } }])
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(s('staff'))).toHaveLength(1);
    });
  });

  describe('bad input writes nothing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    it.each([
      ['an empty type', { type: '' }],
      ['data that is not JSON-serialisable (bigint)', { data: { n: 1n } }],
      ['data that is not JSON-serialisable (cycle)', { data: cyclic }],
      ['data that is not JSON-serialisable (NaN)', { data: { n: Number.NaN } }],
      ['an event over 1 MB', { data: { blob: 'x'.repeat(1024 * 1024 + 1) } }],
      ['an event id that is not a UUID', { eventId: 'not-a-uuid' }],
    ])('refuses %s with a validation error', async (_label, override) => {
      const refusal = await store
        .append(s('staff'), [event('Good'), { ...event('Bad'), ...override } as NewEvent])
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(InvalidEventError);
      expect(refusal).toMatchObject({ category: 'validation', code: 'EVENT_STORE.INVALID_EVENT' });
      expect(await store.readStream(s('staff'))).toEqual([]);
    });

    it.each(['', 'no category', 'staff-', '-abc', 'staff/1'])(
      'refuses the stream name %j',
      async (stream) => {
        await expect(store.append(stream, [event('A')])).rejects.toBeInstanceOf(InvalidEventError);
      },
    );

    it('refuses a position it did not issue', () => {
      expect(() => store.parsePosition('yesterday')).toThrow(InvalidPositionError);
    });
  });

  describe('reading a stream', () => {
    it('reads forwards and backwards, from a revision, with a count; an unknown stream is empty', async () => {
      await store.append(
        s('staff'),
        ['A', 'B', 'C', 'D'].map((t) => event(t)),
      );

      expect(await types(store, s('staff'))).toEqual(['A', 'B', 'C', 'D']);
      expect((await store.readStream(s('staff'), { direction: 'backwards' })).map((e) => e.type)).toEqual([
        'D',
        'C',
        'B',
        'A',
      ]);
      expect((await store.readStream(s('staff'), { fromRevision: 2 })).map((e) => e.revision)).toEqual([
        2, 3,
      ]);
      // Past the end: nothing yet (a reader that keeps its place asks for what follows it).
      expect(await store.readStream(s('staff'), { fromRevision: 4 })).toEqual([]);
      const lastTwo = await store.readStream(s('staff'), {
        direction: 'backwards',
        fromRevision: 2,
        maxCount: 2,
      });
      expect(lastTwo.map((e) => e.revision)).toEqual([2, 1]);
      expect(await store.readStream(s('nobody'))).toEqual([]);
    });

    it('returns every field of the envelope as appended', async () => {
      const appended = event('StaffMemberRegistered', { agency: 'probation', tags: ['é', '\u2028', 1.5] });
      const { position } = await store.append(s('staff'), [appended]);
      const [recorded] = await store.readStream(s('staff'));

      expect(recorded).toMatchObject({ ...appended, stream: s('staff'), revision: 0, position });
      expect(recorded.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(Date.parse(recorded.recordedAt)).not.toBeNaN();
    });

    it('reads a stream up to a recordedAt instant: what was known then', async () => {
      await store.append(s('staff'), [event('A'), event('B')]);
      const [, b] = await store.readStream(s('staff'));
      await sleep(30);
      await store.append(s('staff'), [event('C')]);

      const known = await store.readStream(s('staff'), { untilRecordedAt: b.recordedAt });
      expect(known.map((e) => e.type)).toEqual(['A', 'B']);
      const before = await store.readStream(s('staff'), {
        untilRecordedAt: new Date(Date.parse(b.recordedAt) - 60_000),
      });
      expect(before).toEqual([]);
    });
  });

  describe('global order', () => {
    it('reads every stream in one order, after a position, with a limit', async () => {
      const a = await store.append(s('staff'), [event('A1'), event('A2')]);
      await store.append(s('team'), [event('B1')]);
      await store.append(s('staff'), [event('A3')]);

      const all = (await store.readAll()).filter((e) => e.stream.endsWith(run));
      expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
      expectIncreasing(store, all);
      expect(store.comparePositions(all[1].position, a.position)).toBe(0);

      const after = (await store.readAll({ after: a.position })).filter((e) => e.stream.endsWith(run));
      expect(after.map((e) => e.type)).toEqual(['B1', 'A3']);
      const page = await store.readAll({ after: a.position, limit: 1 });
      expect(page).toHaveLength(1);
      expect(await store.headPosition()).not.toBeNull();
    });

    it('issues positions that compare as strings in log order: 10,000 events appended in batches', async () => {
      // Ten writers at once, ten batches of 100 each: commits interleave (out of sequence order in
      // PostgreSQL), and the parts of the positions cross decimal widths on the way.
      await Promise.all(
        Array.from({ length: 10 }, async (_, writer) => {
          for (let batch = 0; batch < 10; batch += 1) {
            await store.append(
              s(`staff${writer}`),
              Array.from({ length: 100 }, (_, i) => event(`E${writer}-${batch}-${i}`)),
            );
          }
        }),
      );
      const logged: RecordedEvent[] = [];
      for (let after: string | undefined; ;) {
        const page = await store.readAll({ after, limit: 2_000 });
        if (page.length === 0) break;
        logged.push(...mine(page));
        after = page.at(-1)!.position;
      }
      expect(logged).toHaveLength(10_000);
      const positions = logged.map((e) => e.position);
      expect(new Set(positions.map((p) => p.length)).size).toBe(1);
      expect([...positions].reverse().sort()).toEqual(positions);
      expect(new Set(positions).size).toBe(10_000);
      for (const p of positions.filter((_, i) => i % 500 === 0)) expect(store.parsePosition(p)).toBe(p);
    }, 120_000);

    it('filters by event-type prefix and by stream category', async () => {
      await store.append(s('staff'), [event('CertificationAwarded'), event('StaffMemberRegistered')]);
      await store.append(s('team'), [event('TeamFormed'), event('CertificationAwardedElsewhere')]);

      const certifications = await store.readAll({ filter: { eventTypePrefixes: ['Certification'] } });
      expect(mine(certifications).map((e) => e.type)).toEqual([
        'CertificationAwarded',
        'CertificationAwardedElsewhere',
      ]);
      const teams = await store.readAll({ filter: { streamCategories: [`team`] } });
      expect(mine(teams).map((e) => e.type)).toEqual(['TeamFormed', 'CertificationAwardedElsewhere']);
      const both = await store.readAll({
        filter: { streamCategories: ['staff'], eventTypePrefixes: ['Staff'] },
      });
      expect(mine(both).map((e) => e.type)).toEqual(['StaffMemberRegistered']);
    });
  });

  describe('locating an event by id', () => {
    it('names the stream and revision of a recorded event, and null for an unknown or malformed id', async () => {
      if (!store.locateEvent) throw new Error(`${adapter.name} does not implement locateEvent`);
      const target = event('AttendanceRecorded');
      await store.append(s('session'), [event('SessionScheduled'), target]);
      await store.append(s('staff'), [event('StaffMemberRegistered')]);

      expect(await store.locateEvent(target.eventId)).toEqual({ stream: s('session'), revision: 1 });
      expect(await store.locateEvent(randomUUID())).toBeNull();
      expect(await store.locateEvent('not-an-event-id')).toBeNull();
    });
  });

  describe('subscription', () => {
    it('catches up, then goes live, without gap or duplicate, and resumes after a checkpoint', async () => {
      for (let i = 0; i < 30; i += 1) await store.append(s(`staff${i % 3}`), [event(`Old${i}`)]);
      const subscription = store.subscribeToAll({ batchSize: 7 });
      const seen: RecordedEvent[] = [];
      const consuming = (async () => {
        for await (const batch of subscription) {
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(7);
          seen.push(...mine(batch));
          if (seen.length >= 60) break;
        }
      })();
      await waitUntil(() => seen.length >= 30);
      for (let i = 0; i < 30; i += 1) await store.append(s(`team${i % 4}`), [event(`New${i}`)]);
      await consuming;
      await subscription.close();

      expect(seen.map((e) => e.type)).toEqual([
        ...Array.from({ length: 30 }, (_, i) => `Old${i}`),
        ...Array.from({ length: 30 }, (_, i) => `New${i}`),
      ]);
      expectIncreasing(store, seen);

      const resumed = store.subscribeToAll({ after: seen[44].position });
      const rest: RecordedEvent[] = [];
      for await (const batch of resumed) {
        rest.push(...mine(batch));
        if (rest.length >= 15) break;
      }
      await resumed.close();
      expect(rest.map((e) => e.eventId)).toEqual(seen.slice(45).map((e) => e.eventId));
    });

    it('delivers only the events its filter keeps', async () => {
      const subscription = store.subscribeToAll({ filter: { eventTypePrefixes: ['Certification'] } });
      const seen: RecordedEvent[] = [];
      const consuming = (async () => {
        for await (const batch of subscription) {
          seen.push(...mine(batch));
          if (seen.length >= 2) break;
        }
      })();
      await store.append(s('staff'), [event('StaffMemberRegistered'), event('CertificationAwarded')]);
      await store.append(s('staff'), [event('TeamFormed'), event('CertificationExpired')]);
      await consuming;
      await subscription.close();
      expect(seen.map((e) => e.type)).toEqual(['CertificationAwarded', 'CertificationExpired']);
    });
  });

  describe('hash chain', () => {
    it('chains each stream and verifies it', async () => {
      await store.append(s('staff'), [event('A'), event('B')]);
      await store.append(s('staff'), [event('C')]);
      const events = await store.readStream(s('staff'));

      expect(new Set(events.map((e) => e.hash)).size).toBe(3);
      expect(await store.verifyStream(s('staff'))).toMatchObject({ ok: true, eventCount: 3, problems: [] });
    });

    it('detects an event altered behind the store', async () => {
      if (!sut.canTamper) {
        // Against a real EventStoreDB server nothing can reach behind the store: proven on the double.
        expect(adapter.name).toMatch(/server/i);
        return;
      }
      await store.append(s('staff'), [event('A', { level: 'awareness' }), event('B'), event('C')]);
      await sut.tamper(s('staff'), 1, { level: 'expert' });

      const integrity = await store.verifyStream(s('staff'));
      expect(integrity.ok).toBe(false);
      expect(integrity.problems).toEqual([expect.objectContaining({ revision: 1, kind: 'hash_mismatch' })]);
    });
  });

  describe('schema evolution (decision 0014)', () => {
    it('readStream upcasts each event from its stored version; the stored form, hash and order stay', async () => {
      const old = [relocated(1, { to: 'Peqin' }), relocated(2, { to: 'Fier', from: 'Peqin' })];
      const current = relocated(3, { destination: 'Vlore', origin: 'Fier' });
      await store.append(s('staff'), [...old, event('A'), current]);

      const read = await store.readStream(s('staff'));
      const stored = await store.readStream(s('staff'), { stored: true });

      expect(read.map((e) => [e.data, e.metadata.schemaVersion])).toEqual([
        [{ destination: 'Peqin', origin: null }, 3],
        [{ destination: 'Fier', origin: 'Peqin' }, 3],
        [{ at: 'A' }, 1],
        [{ destination: 'Vlore', origin: 'Fier' }, 3],
      ]);
      expect(stored.map((e) => [e.data, e.metadata.schemaVersion])).toEqual([
        [{ to: 'Peqin' }, 1],
        [{ to: 'Fier', from: 'Peqin' }, 2],
        [{ at: 'A' }, 1],
        [{ destination: 'Vlore', origin: 'Fier' }, 3],
      ]);
      expect(
        read.map(({ eventId, revision, position, hash, recordedAt }) => ({
          eventId,
          revision,
          position,
          hash,
          recordedAt,
        })),
      ).toEqual(
        stored.map(({ eventId, revision, position, hash, recordedAt }) => ({
          eventId,
          revision,
          position,
          hash,
          recordedAt,
        })),
      );
      const backwards = await store.readStream(s('staff'), { direction: 'backwards', maxCount: 4 });
      expect(backwards.at(-1)?.data).toEqual({ destination: 'Peqin', origin: null });
    });

    it('readAll upcasts, with or without a filter', async () => {
      await store.append(s('team'), [relocated(1, { to: 'Peqin' }), event('B')]);

      const all = mine(await store.readAll({ limit: 100_000 }));
      const filtered = mine(
        await store.readAll({ filter: { eventTypePrefixes: ['Relocated'] }, limit: 100_000 }),
      );

      expect(all.map((e) => e.data)).toEqual([{ destination: 'Peqin', origin: null }, { at: 'B' }]);
      expect(filtered.map((e) => [e.data, e.metadata.schemaVersion])).toEqual([
        [{ destination: 'Peqin', origin: null }, 3],
      ]);
    });

    it('subscriptions deliver upcast events, caught up and live', async () => {
      await store.append(s('staff'), [relocated(1, { to: 'Peqin' })]);
      const subscription = store.subscribeToAll({ filter: { eventTypePrefixes: ['Relocated'] } });
      const seen: RecordedEvent[] = [];
      const consuming = (async () => {
        for await (const batch of subscription) {
          seen.push(...mine(batch));
          if (seen.length >= 2) break;
        }
      })();
      await waitUntil(() => seen.length >= 1);
      await store.append(s('staff'), [relocated(2, { to: 'Fier', from: 'Peqin' })]);
      await consuming;
      await subscription.close();

      expect(seen.map((e) => [e.data, e.metadata.schemaVersion])).toEqual([
        [{ destination: 'Peqin', origin: null }, 3],
        [{ destination: 'Fier', origin: 'Peqin' }, 3],
      ]);
    });

    it('verifies the hash chain of a stream of old versions over the stored bytes', async () => {
      await store.append(s('staff'), [relocated(1, { to: 'Peqin' })]);
      await store.append(s('staff'), [
        relocated(2, { to: 'Fier', from: 'Peqin' }),
        relocated(1, { to: 'Vlore' }),
      ]);

      const integrity = await store.verifyStream(s('staff'));

      expect(integrity).toMatchObject({ ok: true, eventCount: 3, problems: [] });
    });
  });

  const mine = (events: readonly RecordedEvent[]): RecordedEvent[] =>
    events.filter((e) => e.stream.endsWith(run));
});

/**
 * A type of this suite's own at version 3: v1 `{ to }`, v2 adds `from`, v3 renames both. The store
 * knows no aggregate; its adapters apply whatever chain they are composed with.
 */
const RELOCATED_V3 = new UpcasterChain({
  currentVersions: { Relocated: 3 },
  upcasters: [
    {
      type: 'Relocated',
      fromVersion: 2,
      upcast: ({ data }) => {
        const { to, from } = data as { to: string; from: string | null };
        return { data: { destination: to, origin: from } };
      },
    },
    {
      type: 'Relocated',
      fromVersion: 1,
      upcast: ({ data }) => ({ data: { ...(data as { to: string }), from: null } }),
    },
  ],
});

function relocated(schemaVersion: number, data: unknown): NewEvent {
  const base = event('Relocated', data);
  return { ...base, metadata: { ...base.metadata, schemaVersion } };
}

function event(type: string, data: unknown = { at: type }): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: { sub: 'test', roles: ['admin'], jurisdictions: ['*'] },
      occurredAt: '2026-01-02T03:04:05.000Z',
      schemaVersion: 1,
    },
  };
}

async function types(store: EventStore, stream: string): Promise<string[]> {
  return (await store.readStream(stream)).map((e) => e.type);
}

function expectIncreasing(store: EventStore, events: readonly RecordedEvent[]): void {
  for (let i = 1; i < events.length; i += 1) {
    expect(store.comparePositions(events[i - 1].position, events[i].position)).toBeLessThan(0);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

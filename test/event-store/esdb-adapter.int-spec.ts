import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  InvalidPositionError,
  WrongExpectedRevisionError,
  type NewEvent,
  type RecordedEvent,
  type Subscription,
} from '@cadre/event-store';
import { EsdbEventStore } from '../../libs/event-store/src/esdb/esdb-event-store.js';
import { EsdbTestDouble } from './esdb-test-double/esdb-test-double.js';

/**
 * The EventStoreDB adapter's own concerns, against the EventStoreDB protocol test double: how it
 * maps expected revisions, idempotent retries, reads, `$all` positions and filters, subscriptions
 * and the hash chain onto EventStoreDB's protocol. The shared contract is event-store.contract.int-spec.ts.
 */
describe('EsdbEventStore on the EventStoreDB protocol test double', () => {
  let double: EsdbTestDouble;
  let store: EsdbEventStore;
  let nowMs: number;
  const open: Subscription[] = [];

  beforeEach(async () => {
    nowMs = Date.parse('2025-03-01T09:00:00.000Z');
    double = await EsdbTestDouble.start({ clockMs: () => nowMs });
    store = EsdbEventStore.connect(double.connectionString);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
    await store.close();
    await double.stop();
  });

  describe('expected revisions', () => {
    it('refuses each kind with the actual revision, and writes nothing', async () => {
      await expect(
        store.append('staff-1', [event('A')], { expectedRevision: 'stream_exists' }),
      ).rejects.toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
      await expect(store.append('staff-1', [event('A')], { expectedRevision: 0 })).rejects.toMatchObject({
        expected: 0,
        actual: 'no_stream',
      });
      await store.append('staff-1', [event('A'), event('B')], { expectedRevision: 'no_stream' });
      await expect(
        store.append('staff-1', [event('C')], { expectedRevision: 'no_stream' }),
      ).rejects.toMatchObject({
        expected: 'no_stream',
        actual: 1,
      });
      await expect(store.append('staff-1', [event('C')], { expectedRevision: 0 })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect(await types('staff-1')).toEqual(['A', 'B']);
      await expect(
        store.append('staff-1', [event('C')], { expectedRevision: 'stream_exists' }),
      ).resolves.toMatchObject({
        nextRevision: 2,
      });
      await expect(store.append('staff-1', [event('D')], { expectedRevision: 2 })).resolves.toMatchObject({
        nextRevision: 3,
      });
    });

    it('lets exactly one of two writers expecting the same revision win', async () => {
      await store.append('staff-1', [event('A')]);
      const results = await Promise.allSettled([
        store.append('staff-1', [event('B')], { expectedRevision: 0 }),
        store.append('staff-1', [event('C')], { expectedRevision: 0 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(lost?.reason).toMatchObject({ expected: 0, actual: 1 });
      expect(await store.readStream('staff-1')).toHaveLength(2);
    });

    it('retries `any` appends that lose a race, keeping one hash chain', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.append('team-1', [event(`E${i}`)])),
      );
      expect(results.map((r) => r.nextRevision).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(await store.verifyStream('team-1')).toMatchObject({ ok: true, eventCount: 8 });
    });
  });

  describe('idempotent retry', () => {
    it('returns the first result for the same events, even after other appends', async () => {
      const batch = [event('A'), event('B')];
      const first = await store.append('staff-1', batch, { expectedRevision: 'no_stream' });
      await store.append('staff-1', [event('C')]);
      expect(await store.append('staff-1', batch, { expectedRevision: 'no_stream' })).toEqual(first);
      expect(await store.append('staff-1', batch)).toEqual(first);
      expect(await types('staff-1')).toEqual(['A', 'B', 'C']);
    });

    it('refuses a known id with other content, or a batch only partly written before', async () => {
      const original = event('A', { n: 1 });
      await store.append('staff-1', [original]);
      await expect(store.append('staff-1', [{ ...original, data: { n: 2 } }])).rejects.toBeInstanceOf(
        DuplicateEventIdError,
      );
      await expect(store.append('staff-1', [original, event('B')])).rejects.toBeInstanceOf(
        DuplicateEventIdError,
      );
      expect(await types('staff-1')).toEqual(['A']);
    });
  });

  describe('reading a stream', () => {
    it('reads both directions, from a revision, with a count; an unknown stream is empty', async () => {
      await store.append(
        'staff-1',
        ['A', 'B', 'C', 'D'].map((type) => event(type)),
      );
      expect(await types('staff-1', { direction: 'backwards' })).toEqual(['D', 'C', 'B', 'A']);
      expect(await types('staff-1', { fromRevision: 1, maxCount: 2 })).toEqual(['B', 'C']);
      expect(await types('staff-1', { direction: 'backwards', fromRevision: 2, maxCount: 2 })).toEqual([
        'C',
        'B',
      ]);
      expect(await store.readStream('staff-404')).toEqual([]);
    });

    it('reads what was recorded by an instant, from the server-stamped created time', async () => {
      await store.append('staff-1', [event('A')]);
      nowMs += 60_000;
      const second = await store.append('staff-1', [event('B')]);
      nowMs += 60_000;
      await store.append('staff-1', [event('C')]);

      const recorded = await store.readStream('staff-1');
      expect(recorded.map((e) => e.recordedAt)).toEqual([
        '2025-03-01T09:00:00.000Z',
        '2025-03-01T09:01:00.000Z',
        '2025-03-01T09:02:00.000Z',
      ]);
      expect(second.nextRevision).toBe(1);
      const until = '2025-03-01T09:01:00.000Z';
      expect(await types('staff-1', { untilRecordedAt: until })).toEqual(['A', 'B']);
      expect(await types('staff-1', { untilRecordedAt: new Date(until), direction: 'backwards' })).toEqual([
        'B',
        'A',
      ]);
      expect(await types('staff-1', { untilRecordedAt: until, direction: 'backwards', maxCount: 1 })).toEqual(
        ['B'],
      );
      expect(await types('staff-1', { untilRecordedAt: '2025-03-01T08:59:59.999Z' })).toEqual([]);
    });

    it('keeps the hash chain and the EventStoreDB correlation conventions in the metadata', async () => {
      const appended = event('A');
      await store.append('staff-1', [appended]);
      const [recorded] = await store.readStream('staff-1');
      expect(recorded.metadata).toEqual(appended.metadata);
      expect(recorded.hash).toMatch(/^[0-9a-f]{64}$/);

      const raw = EventStoreDBClient.connectionString(double.connectionString);
      for await (const resolved of raw.readStream('staff-1')) {
        expect(resolved.event?.metadata).toMatchObject({
          $correlationId: appended.metadata.correlationId,
          $causationId: appended.metadata.causationId,
          hash: recorded.hash,
        });
      }
      await raw.dispose();
    });
  });

  describe('$all', () => {
    it('reads after a position (exclusive) with a limit; events of one append share a commit position', async () => {
      await store.append('staff-1', [event('A'), event('B')]);
      await store.append('team-1', [event('C')]);
      const all = await store.readAll();
      expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C']);
      const [a, b, c] = all.map((e) => e.position);
      expect(a.split('-')[0]).toBe(b.split('-')[0]);
      expect([c, a, b].sort()).toEqual([a, b, c]);
      expect(store.comparePositions(a, b)).toBeLessThan(0);
      expect(store.comparePositions(c, b)).toBeGreaterThan(0);
      expect(store.comparePositions(b, store.parsePosition(b))).toBe(0);
      // The spelling of earlier versions (`<commit>:<prepare>`), read forever: a kept cursor resumes.
      const old = (p: string): string => p.split('-').map(BigInt).join(':');
      expect(store.parsePosition(old(b))).toBe(b);
      expect((await store.readAll({ after: old(a) })).map((e) => e.type)).toEqual(['B', 'C']);

      expect((await store.readAll({ after: a })).map((e) => e.type)).toEqual(['B', 'C']);
      expect((await store.readAll({ after: a, limit: 1 })).map((e) => e.type)).toEqual(['B']);
      expect(await store.readAll({ after: c })).toEqual([]);
      expect(await store.headPosition()).toBe(c);
    });

    it('filters on the server by event-type prefix and category, and skips system events', async () => {
      await store.append('staff-1', [event('StaffHired'), event('CertificateAwarded')]);
      await store.append('team-1', [event('StaffAssigned')]);
      await store.append('staffing-1', [event('StaffHired')]);
      const raw = EventStoreDBClient.connectionString(double.connectionString);
      await raw.appendToStream('$$staff-1', jsonEvent({ type: '$metadata', data: { $maxAge: 1 } }));
      await raw.dispose();

      const read = async (filter: Parameters<EsdbEventStore['readAll']>[0]) =>
        (await store.readAll(filter)).map((e) => `${e.stream}:${e.type}`);
      expect(await read({ filter: { eventTypePrefixes: ['Staff'] } })).toEqual([
        'staff-1:StaffHired',
        'team-1:StaffAssigned',
        'staffing-1:StaffHired',
      ]);
      expect(await read({ filter: { streamCategories: ['staff'] } })).toEqual([
        'staff-1:StaffHired',
        'staff-1:CertificateAwarded',
      ]);
      expect(
        await read({ filter: { streamCategories: ['staff', 'team'], eventTypePrefixes: ['Staff'] } }),
      ).toEqual(['staff-1:StaffHired', 'team-1:StaffAssigned']);
      expect(await read({})).toHaveLength(4);
    });

    it('keeps stores with different stream prefixes apart on one server', async () => {
      const other = EsdbEventStore.connect(double.connectionString, { streamPrefix: 'other_' });
      try {
        await store.append('staff-1', [event('Mine')]);
        await other.append('staff-1', [event('Theirs')]);
        expect((await other.readStream('staff-1')).map((e) => e.type)).toEqual(['Theirs']);
        expect((await other.readAll()).map((e) => `${e.stream}:${e.type}`)).toEqual(['staff-1:Theirs']);
        expect(await other.verifyStream('staff-1')).toMatchObject({ ok: true });
      } finally {
        await other.close();
      }
    });

    it('refuses positions it did not issue', () => {
      for (const bad of ['', '1', '1:2:3', '-1:0', '01:1', 'a:b', '18446744073709551616:0']) {
        expect(() => store.parsePosition(bad)).toThrow(InvalidPositionError);
      }
      expect(store.parsePosition('18446744073709551615:0')).toBe('18446744073709551615-00000000000000000000');
    });
  });

  describe('subscription', () => {
    it('catches up, goes live, and resumes after a position, without gap or duplicate', async () => {
      await store.append('staff-1', [event('A'), event('B'), event('C')]);
      const subscription = subscribe({ batchSize: 2 });
      const received: RecordedEvent[] = [];
      const iterator = subscription[Symbol.asyncIterator]();
      while (received.length < 3) {
        const batch = await nextBatch(iterator);
        expect(batch.length).toBeGreaterThan(0);
        expect(batch.length).toBeLessThanOrEqual(2);
        received.push(...batch);
      }
      await store.append('team-1', [event('D')]);
      await store.append('staff-1', [event('E')]);
      while (received.length < 5) received.push(...(await nextBatch(iterator)));
      expect(received.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
      await subscription.close();
      expect((await iterator.next()).done).toBe(true);

      const resumed = subscribe({ after: received[2].position, filter: { streamCategories: ['staff'] } });
      const [batch] = await take(resumed, 1);
      expect(batch.map((e) => e.type)).toEqual(['E']);
    });

    it('resumes where it stopped when the server goes away and comes back', async () => {
      await store.append('staff-1', [event('A')]);
      const subscription = subscribe();
      const iterator = subscription[Symbol.asyncIterator]();
      expect((await nextBatch(iterator)).map((e) => e.type)).toEqual(['A']);
      double = await double.restart();
      // The first call after the server came back may fail while the client reconnects: a caller
      // retries an unavailable store, and a retried append is idempotent.
      const b = event('B');
      await eventually(() => store.append('staff-1', [b]));
      expect((await nextBatch(iterator)).map((e) => e.type)).toEqual(['B']);
    });
  });

  describe('hash chain', () => {
    it('detects an event altered behind the store', async () => {
      await store.append('staff-1', [event('A'), event('B', { n: 1 }), event('C')]);
      expect(await store.verifyStream('staff-1')).toMatchObject({ ok: true, eventCount: 3, problems: [] });
      double.tamper('staff-1', 1, { n: 2 });
      const integrity = await store.verifyStream('staff-1');
      expect(integrity.ok).toBe(false);
      expect(integrity.problems).toEqual([expect.objectContaining({ revision: 1, kind: 'hash_mismatch' })]);
    });
  });

  describe('an unreachable server', () => {
    it('is reported as EventStoreUnavailableError', async () => {
      await double.stop();
      await expect(store.append('staff-1', [event('A')])).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream('staff-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  // Fixtures
  function event(type: string, data: unknown = { at: type }): NewEvent {
    return {
      eventId: randomUUID(),
      type,
      data,
      metadata: {
        correlationId: randomUUID(),
        causationId: null,
        actor: { sub: 'user-1', roles: ['admin'], jurisdictions: ['north'] },
        occurredAt: '2025-03-01T08:00:00.000Z',
        schemaVersion: 1,
      },
    };
  }

  async function types(
    stream: string,
    options?: Parameters<EsdbEventStore['readStream']>[1],
  ): Promise<string[]> {
    return (await store.readStream(stream, options)).map((e) => e.type);
  }

  function subscribe(options?: Parameters<EsdbEventStore['subscribeToAll']>[0]): Subscription {
    const subscription = store.subscribeToAll(options);
    open.push(subscription);
    return subscription;
  }

  async function nextBatch(
    iterator: AsyncIterator<readonly RecordedEvent[]>,
  ): Promise<readonly RecordedEvent[]> {
    const result = await iterator.next();
    if (result.done) throw new Error('The subscription ended.');
    return result.value;
  }

  async function eventually<T>(action: () => Promise<T>, attempts = 20): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await action();
      } catch (error) {
        if (!(error instanceof EventStoreUnavailableError) || attempt === attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async function take(subscription: Subscription, batches: number): Promise<(readonly RecordedEvent[])[]> {
    const taken: (readonly RecordedEvent[])[] = [];
    for await (const batch of subscription) {
      taken.push(batch);
      if (taken.length === batches) break;
    }
    return taken;
  }
});

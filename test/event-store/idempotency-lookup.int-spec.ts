import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DecisionContext, DomainCommand, DomainEvent } from '@cadre/domain';
import type { EventStore } from '@cadre/event-store';
import { handleCommand, writtenUnder, type CommandEnvelope } from '@cadre/command-handling';
import { esdbTestDoubleAdapter } from './esdb-adapters.js';
import { postgresAdapter } from './postgres-adapters.js';
import type { StoreUnderTest } from './store-under-test.js';

type Cmd = DomainCommand<'Add', { n: number }>;
type Evt = DomainEvent<'Added', { n: number }>;
const counter = {
  initialState: () => 0,
  evolve: (total: number, event: Evt) => total + event.data.n,
  decide: (command: Cmd, _total: number, context: DecisionContext): Evt[] => [
    { type: 'Added', data: { n: command.data.n }, metadata: { occurredAt: context.now } },
  ],
};
const add = (n: number): Cmd => ({ type: 'Add', data: { n } });
const envelope = (key?: string, scope = 'alice POST /v1/counters', recovering = false): CommandEnvelope => ({
  actor: { sub: 'alice', roles: ['manager'], jurisdictions: ['AL'] },
  correlationId: 'corr-1',
  now: () => new Date('2026-01-01T10:00:00.000Z'),
  ...(key ? { idempotency: { key, scope, recovering } } : {}),
});

/**
 * Decision 0019 on each adapter: the events a command appends carry its request's Idempotency-Key
 * and scope; the log read from a position finds them (and only them); and a stream that holds
 * them is not decided again by a request that took its key over: it answers what was recorded.
 */
describe.each([postgresAdapter, esdbTestDoubleAdapter])('Idempotency-Key in the log: $name', (adapter) => {
  let sut: StoreUnderTest;
  let store: EventStore;

  beforeAll(async () => {
    sut = await adapter.create();
    store = sut.store;
  });
  afterAll(async () => sut?.dispose());

  it('carries the key in metadata, finds it from a position, and never decides twice under it', async () => {
    await handleCommand(store, { stream: 'counter-a', decider: counter, command: add(1) }, envelope('k0'));
    const from = await store.headPosition();

    const first = await handleCommand(
      store,
      { stream: 'counter-b', decider: counter, command: add(2) },
      envelope('k1'),
    );
    // Another scope with the same key, and a command without a key, in between.
    await handleCommand(
      store,
      { stream: 'counter-b', decider: counter, command: add(5) },
      envelope('k1', 'bob'),
    );
    await handleCommand(store, { stream: 'counter-a', decider: counter, command: add(7) }, envelope());

    const [recorded] = await store.readStream('counter-b');
    expect(recorded.metadata).toMatchObject({
      idempotencyKey: 'k1',
      idempotencyScope: 'alice POST /v1/counters',
    });

    const found = await writtenUnder(store, { key: 'k1', scope: 'alice POST /v1/counters' }, from);
    expect(found.map((event) => [event.stream, event.revision, event.position])).toEqual([
      ['counter-b', 0, first.position],
    ]);
    expect(await writtenUnder(store, { key: 'k0', scope: 'alice POST /v1/counters' }, from)).toEqual([]);
    expect(await writtenUnder(store, { key: 'k0', scope: 'alice POST /v1/counters' }, null)).toHaveLength(1);

    // The same request taking over its key from an attempt cut short: the recorded outcome,
    // nothing appended.
    const recovered = await handleCommand(
      store,
      { stream: 'counter-b', decider: counter, command: add(2) },
      envelope('k1', 'alice POST /v1/counters', true),
    );
    expect(recovered).toMatchObject({ revision: 0, position: first.position, state: 2, created: true });
    expect(await store.readStream('counter-b')).toHaveLength(2);
    // A plain retry (its earlier attempt failed and released the key) is decided anew.
    const retried = await handleCommand(
      store,
      { stream: 'counter-b', decider: counter, command: add(2) },
      envelope('k1'),
    );
    expect(retried).toMatchObject({ revision: 2, state: 9, created: false });
  });
});

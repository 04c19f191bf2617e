import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainRuleError, type DecisionContext, type DomainCommand, type DomainEvent } from '@cadre/domain';
import { PostgresEventStore } from '@cadre/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import {
  ConcurrencyExhaustedError,
  handleCommand,
  RevisionMismatchError,
  type CommandEnvelope,
} from './handle-command.js';

// A toy decider: a counter that refuses to go past a limit, and ignores a repeated "reset".
type Cmd = DomainCommand<'Add', { n: number }> | DomainCommand<'Reset', Record<string, never>>;
type Evt = DomainEvent<'Added', { n: number }> | DomainEvent<'WasReset', Record<string, never>>;
const counter = {
  initialState: () => 0,
  evolve: (total: number, event: Evt) => (event.type === 'Added' ? total + event.data.n : 0),
  decide: (command: Cmd, total: number, context: DecisionContext & { limit?: number }): Evt[] => {
    if (command.type === 'Reset') return total === 0 ? [] : [{ type: 'WasReset', data: {} }];
    if (total + command.data.n > (context.limit ?? 1000))
      throw new DomainRuleError('COUNTER.LIMIT', 'Over the limit.');
    return [{ type: 'Added', data: { n: command.data.n }, metadata: { occurredAt: context.now } }];
  },
};

const envelope = (extra: Partial<CommandEnvelope> = {}): CommandEnvelope => ({
  actor: { sub: 'alice', roles: ['manager'], jurisdictions: ['AL'] },
  correlationId: 'corr-1',
  now: () => new Date('2026-01-01T10:00:00.000Z'),
  ...extra,
});
const add = (n: number): Cmd => ({ type: 'Add', data: { n } });

describe('handleCommand: the one load-decide-append path', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('handle_command');
    store = await PostgresEventStore.connect({ connectionString: database.url });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('creates the stream, then appends at the revision it read, with the envelope in metadata', async () => {
    const first = await handleCommand(
      store,
      { stream: 'counter-1', decider: counter, command: add(2) },
      envelope(),
    );
    expect(first).toMatchObject({ revision: 0, created: true, state: 2 });
    const second = await handleCommand(
      store,
      { stream: 'counter-1', decider: counter, command: add(3) },
      envelope(),
    );
    expect(second).toMatchObject({ revision: 1, created: false, state: 5 });

    const [event] = await store.readStream('counter-1');
    expect(event.metadata).toEqual({
      correlationId: 'corr-1',
      causationId: 'corr-1',
      actor: { sub: 'alice', roles: ['manager'], jurisdictions: ['AL'] },
      occurredAt: '2026-01-01T10:00:00.000Z',
      schemaVersion: 1,
    });
  });

  it('appends nothing when the decider decides nothing, and nothing when it refuses', async () => {
    const noop = await handleCommand(
      store,
      { stream: 'counter-2', decider: counter, command: { type: 'Reset', data: {} } },
      envelope(),
    );
    expect(noop).toMatchObject({ revision: -1, events: [] });
    await expect(
      handleCommand(store, { stream: 'counter-2', decider: counter, command: add(5) }, envelope()),
    ).resolves.toMatchObject({ revision: 0 });
    await expect(
      handleCommand(store, { stream: 'counter-2', decider: counter, command: add(5) }, envelope()),
    ).resolves.toBeDefined();
    await expect(
      handleCommand(
        store,
        {
          stream: 'counter-2',
          decider: counter,
          command: add(1),
          context: (_s, base) => ({ ...base, limit: 10 }),
        },
        envelope(),
      ),
    ).rejects.toMatchObject({ code: 'COUNTER.LIMIT' });
    expect(await store.readStream('counter-2')).toHaveLength(2);
  });

  it("refuses an If-Match revision that is not the stream's, without retrying", async () => {
    await handleCommand(store, { stream: 'counter-3', decider: counter, command: add(1) }, envelope());
    await expect(
      handleCommand(
        store,
        { stream: 'counter-3', decider: counter, command: add(1) },
        envelope({ expectedRevision: 5 }),
      ),
    ).rejects.toBeInstanceOf(RevisionMismatchError);
    await handleCommand(
      store,
      { stream: 'counter-3', decider: counter, command: add(1) },
      envelope({ expectedRevision: 0 }),
    );
    expect(await store.readStream('counter-3')).toHaveLength(2);
  });

  it('re-reads and re-decides on a concurrent write, so every rule holds under concurrency', async () => {
    // 20 concurrent commands, limit 10: the limit holds; every command either landed or was refused.
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        handleCommand(
          store,
          {
            stream: 'counter-4',
            decider: counter,
            command: add(1),
            context: (_s, base) => ({ ...base, limit: 10 }),
          },
          envelope(),
        ),
      ),
    );
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    const events = await store.readStream('counter-4');
    expect(events.length).toBeLessThanOrEqual(10);
    expect(events.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(events.length);
    expect(refused.every((e) => e instanceof DomainRuleError || e instanceof ConcurrencyExhaustedError)).toBe(
      true,
    );
  });
});

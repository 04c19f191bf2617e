import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { SharedConnectionLeases } from './leases.js';

describe('SharedConnectionLeases', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('leases');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('takes many leases at once on its one connection, one statement at a time, and gives them back', async () => {
    const first = new SharedConnectionLeases(database.url);
    const second = new SharedConnectionLeases(database.url);
    // pg queues a statement sent while another runs on the same client, and deprecates it: the
    // provider must send them one after the other.
    const original = pg.Client.prototype.query;
    const query = jest.spyOn(pg.Client.prototype, 'query');
    let running = 0;
    let overlapped = false;
    query.mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      if (typeof args[0] === 'string' && args[0].includes('advisory')) {
        running += 1;
        if (running > 1) overlapped = true;
        const result = (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
        void result.finally(() => (running -= 1));
        return result;
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    try {
      const names = Array.from({ length: 20 }, (_, i) => `projection-${i}`);
      const leases = await Promise.all(names.map((name) => first.tryAcquire(name)));
      expect(leases.every((lease) => lease?.held)).toBe(true);
      expect(overlapped).toBe(false);
      // Held: another process (its own connection) cannot take them.
      expect(await second.tryAcquire('projection-3')).toBeNull();
      await Promise.all(leases.map((lease) => lease!.release()));
      expect(overlapped).toBe(false);
      expect(leases.some((lease) => lease!.held)).toBe(false);
      const taken = await second.tryAcquire('projection-3');
      expect(taken?.held).toBe(true);
    } finally {
      query.mockRestore();
      await first.close();
      await second.close();
    }
  });

  it('refuses a lease the process already holds (a session lock would be taken twice), and gives it again once released', async () => {
    const leases = new SharedConnectionLeases(database.url);
    try {
      const [first, second] = await Promise.all([leases.tryAcquire('tick'), leases.tryAcquire('tick')]);
      expect([first, second].filter((lease) => lease !== null)).toHaveLength(1);
      const held = (first ?? second)!;
      expect(await leases.tryAcquire('tick')).toBeNull();
      await held.release();
      const again = await leases.tryAcquire('tick');
      expect(again?.held).toBe(true);
      await again!.release();
    } finally {
      await leases.close();
    }
  });
});

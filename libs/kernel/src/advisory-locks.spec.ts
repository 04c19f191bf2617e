import { describe, expect, it } from '@jest/globals';
import { ADVISORY_LOCKS, transactionLockSql } from './advisory-locks.js';

describe('advisory locks', () => {
  it('gives every purpose a key of its own', () => {
    const keys = Object.values(ADVISORY_LOCKS).map((key) =>
      typeof key === 'number' ? `${key}` : key.join(','),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('writes the transaction lock of a two-key lock', () => {
    expect(transactionLockSql(ADVISORY_LOCKS.processesDdl)).toBe('SELECT pg_advisory_xact_lock(4711004, 0);');
  });
});

import { describe, expect, it } from '@jest/globals';
import { ADVISORY_LOCKS, ddlLockSql } from './advisory-locks.js';

describe('advisory locks', () => {
  it('gives every purpose a key of its own', () => {
    const keys = Object.values(ADVISORY_LOCKS).map((key) =>
      typeof key === 'number' ? `${key}` : key.join(','),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('writes the transaction lock of a two-key lock, DDL without a statement limit', () => {
    expect(ddlLockSql(ADVISORY_LOCKS.processesDdl)).toBe(
      'SET LOCAL statement_timeout = 0; SELECT pg_advisory_xact_lock(4711004, 0);',
    );
  });
});

import { ADVISORY_LOCKS, ddlLockSql } from '@cadre/kernel';
import { createHmac, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { KeyRing } from './key-encryption-keys.js';
import { isSealedValue, sealWith, unsealWith, unwrapKey, wrapKey, type SealedValue } from './sealed-value.js';

// One implicit transaction under an advisory lock: vaults connecting at once (the worker's
// projections, its webhook thread, the api) would otherwise race on CREATE SCHEMA IF NOT EXISTS,
// which fails on the catalog's unique index rather than waiting.
const SCHEMA_SQL = `
${ddlLockSql(ADVISORY_LOCKS.personalDataDdl)}
CREATE SCHEMA IF NOT EXISTS cadre_keys;
CREATE TABLE IF NOT EXISTS cadre_keys.data_keys (
  subject     text PRIMARY KEY,
  kek_id      text,
  wrapped     json,
  created_at  timestamptz NOT NULL DEFAULT now(),
  erased_at   timestamptz,
  CHECK ((erased_at IS NULL) = (wrapped IS NOT NULL))
);`;

/** Unwrapped data keys are kept this long in memory; an erasure elsewhere takes effect within it. */
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

/** The person's data key was destroyed: their personal data can never be read or written again. */
export class PersonalDataErasedError extends Error {
  constructor(readonly subject: string) {
    super(`The personal data of ${subject} has been erased.`);
  }
}

/**
 * Crypto-shredding of personal data. Each person (subject) has a random 256-bit data key that
 * seals their name, e-mail and employee reference; the data key is stored only wrapped under the
 * key-encryption key. Erasure destroys the data key: the events that carry the sealed values stay
 * as they were, and nobody can read them again. A tombstone keeps the erasure, and
 * {@link reapplyErasures} re-applies those recorded in the event log after a backup restore.
 */
export class PersonalDataVault {
  private readonly cache = new Map<string, { key: Buffer | null; until: number }>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly ring: KeyRing,
    private readonly indexKey: Buffer,
  ) {}

  static async connect(pool: pg.Pool, ring: KeyRing, blindIndexKey: string): Promise<PersonalDataVault> {
    await pool.query(SCHEMA_SQL);
    return new PersonalDataVault(pool, ring, Buffer.from(blindIndexKey, 'utf8'));
  }

  /** Seals each field for the subject, creating the subject's data key on first use. */
  async seal(
    subject: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<Record<string, SealedValue>> {
    const key = await this.keyFor(subject, true);
    if (!key) throw new PersonalDataErasedError(subject);
    return Object.fromEntries(
      Object.entries(fields).map(([field, value]) => [field, sealWith(key, subject, field, value)]),
    );
  }

  /** The clear value, or null once the subject is erased (or the value was never sealed for it). */
  async unseal(subject: string, field: string, sealed: unknown): Promise<string | null> {
    if (!isSealedValue(sealed)) return null;
    const key = await this.keyFor(subject, false);
    if (!key) return null;
    try {
      return unsealWith(key, subject, field, sealed);
    } catch {
      return null;
    }
  }

  /** Destroys the subject's data key. Idempotent; returns false when it was already erased. */
  async erase(subject: string): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO cadre_keys.data_keys (subject, kek_id, wrapped, erased_at) VALUES ($1, NULL, NULL, now())
       ON CONFLICT (subject) DO UPDATE SET kek_id = NULL, wrapped = NULL, erased_at = now()
         WHERE cadre_keys.data_keys.erased_at IS NULL`,
      [subject],
    );
    this.cache.set(subject, { key: null, until: Number.MAX_SAFE_INTEGER });
    return (result.rowCount ?? 0) > 0;
  }

  /** Re-applies erasures recorded in the event log (after restoring an older backup of the keys). */
  async reapplyErasures(subjects: Iterable<string>): Promise<number> {
    let applied = 0;
    for (const subject of subjects) if (await this.erase(subject)) applied += 1;
    return applied;
  }

  /** Re-wraps every data key under the current KEK, so that previous KEKs can be retired. */
  async rewrapAll(): Promise<number> {
    const { rows } = await this.pool.query<{ subject: string; kek_id: string; wrapped: SealedValue }>(
      'SELECT subject, kek_id, wrapped FROM cadre_keys.data_keys WHERE wrapped IS NOT NULL AND kek_id <> $1',
      [this.ring.current.id],
    );
    for (const row of rows) {
      const key = this.unwrap(row.subject, row.kek_id, row.wrapped);
      await this.pool.query(
        'UPDATE cadre_keys.data_keys SET kek_id = $2, wrapped = $3 WHERE subject = $1 AND wrapped IS NOT NULL',
        [row.subject, this.ring.current.id, JSON.stringify(wrapKey(this.ring.current.key, row.subject, key))],
      );
    }
    return rows.length;
  }

  /**
   * A keyed hash of a personal value (e.g. an employee reference within a jurisdiction), to test
   * uniqueness without writing the value in clear: it names the reservation stream.
   */
  blindIndex(namespace: string, value: string): string {
    return createHmac('sha256', this.indexKey)
      .update(`${namespace}\u0000${value.trim().toLowerCase()}`)
      .digest('hex')
      .slice(0, 40);
  }

  private async keyFor(subject: string, create: boolean): Promise<Buffer | null> {
    const cached = this.cache.get(subject);
    if (cached && cached.until > Date.now()) return cached.key;
    let row = await this.load(subject);
    if (!row && create) {
      const fresh = randomBytes(32);
      await this.pool.query(
        'INSERT INTO cadre_keys.data_keys (subject, kek_id, wrapped) VALUES ($1, $2, $3) ON CONFLICT (subject) DO NOTHING',
        [subject, this.ring.current.id, JSON.stringify(wrapKey(this.ring.current.key, subject, fresh))],
      );
      row = await this.load(subject);
    }
    const key = row?.wrapped && row.kek_id ? this.unwrap(subject, row.kek_id, row.wrapped) : null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(subject, { key, until: Date.now() + CACHE_TTL_MS });
    return key;
  }

  private async load(
    subject: string,
  ): Promise<{ kek_id: string | null; wrapped: SealedValue | null } | undefined> {
    const { rows } = await this.pool.query<{ kek_id: string | null; wrapped: SealedValue | null }>(
      'SELECT kek_id, wrapped FROM cadre_keys.data_keys WHERE subject = $1',
      [subject],
    );
    return rows[0];
  }

  private unwrap(subject: string, kekId: string, wrapped: SealedValue): Buffer {
    const kek = this.ring.all.get(kekId);
    if (!kek)
      throw new Error(`Data key of ${subject} is wrapped by KEK "${kekId}", which is not configured.`);
    return unwrapKey(kek.key, subject, wrapped);
  }
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import {
  DEVELOPMENT_KEK,
  KeyRingConfigError,
  assertProductionKeyRing,
  parseKeyRing,
} from './key-encryption-keys.js';
import { PersonalDataErasedError, PersonalDataVault } from './personal-data-vault.js';

const K1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const K2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;

describe('PersonalDataVault', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let vault: PersonalDataVault;

  beforeAll(async () => {
    database = await createTestDatabase('vault');
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    vault = await PersonalDataVault.connect(pool, parseKeyRing(K1), 'index-key');
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('connects from several processes at once on a fresh database (its DDL does not race)', async () => {
    const fresh = await createTestDatabase('vault_race');
    // Each "process" its own pool, as the worker, its webhook thread and the api have.
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString: fresh.url, max: 1 }));
    try {
      for (let round = 0; round < 3; round += 1) {
        await pools[0]!.query('DROP SCHEMA IF EXISTS cadre_keys CASCADE');
        const results = await Promise.allSettled(
          pools.map((own) => PersonalDataVault.connect(own, parseKeyRing(K1), 'index-key')),
        );
        expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      }
    } finally {
      await Promise.all(pools.map((own) => own.end()));
      await fresh.drop();
    }
  });

  it('seals fields so that no clear value is stored, and unseals them', async () => {
    const sealed = await vault.seal('staff-a', { name: 'Ana Hoxha', email: 'ana@example.org' });

    expect(JSON.stringify(sealed)).not.toContain('Ana');
    expect(await vault.unseal('staff-a', 'name', sealed.name)).toBe('Ana Hoxha');
    const stored = await pool.query('SELECT wrapped::text FROM cadre_keys.data_keys');
    expect(stored.rows.map((r) => r.wrapped).join()).not.toMatch(/Ana/);
  });

  it('binds a sealed value to its subject and field', async () => {
    const sealed = await vault.seal('staff-b', { name: 'Bora' });
    await vault.seal('staff-c', { name: 'Cena' });

    expect(await vault.unseal('staff-b', 'email', sealed.name)).toBeNull();
    expect(await vault.unseal('staff-c', 'name', sealed.name)).toBeNull();
  });

  it('forgets a person for good on erasure, also through another vault instance and for new seals', async () => {
    const sealed = await vault.seal('staff-d', { name: 'Dren' });
    expect(await vault.erase('staff-d')).toBe(true);
    expect(await vault.erase('staff-d')).toBe(false);

    expect(await vault.unseal('staff-d', 'name', sealed.name)).toBeNull();
    const other = await PersonalDataVault.connect(pool, parseKeyRing(K1), 'index-key');
    expect(await other.unseal('staff-d', 'name', sealed.name)).toBeNull();
    await expect(vault.seal('staff-d', { name: 'Dren' })).rejects.toBeInstanceOf(PersonalDataErasedError);
  });

  it('re-applies recorded erasures after a restore brought old keys back', async () => {
    const sealed = await vault.seal('staff-e', { name: 'Era' });
    const backup = (await pool.query("SELECT * FROM cadre_keys.data_keys WHERE subject = 'staff-e'")).rows[0];
    await vault.erase('staff-e');
    // The restore: the erased key row comes back from the backup.
    await pool.query(
      'UPDATE cadre_keys.data_keys SET kek_id = $2, wrapped = $3, erased_at = NULL WHERE subject = $1',
      ['staff-e', backup.kek_id, JSON.stringify(backup.wrapped)],
    );
    const restored = await PersonalDataVault.connect(pool, parseKeyRing(K1), 'index-key');
    expect(await restored.unseal('staff-e', 'name', sealed.name)).toBe('Era');

    expect(await restored.reapplyErasures(['staff-e', 'staff-d'])).toBe(1);
    expect(await restored.unseal('staff-e', 'name', sealed.name)).toBeNull();
  });

  it('rotates the key-encryption key: old keys unwrap, and rewrapAll moves them to the new KEK', async () => {
    const sealed = await vault.seal('staff-f', { name: 'Fatos' });
    const rotated = await PersonalDataVault.connect(pool, parseKeyRing(K2, K1), 'index-key');
    expect(await rotated.unseal('staff-f', 'name', sealed.name)).toBe('Fatos');

    expect(await rotated.rewrapAll()).toBeGreaterThan(0);
    const onlyNew = await PersonalDataVault.connect(pool, parseKeyRing(K2), 'index-key');
    expect(await onlyNew.unseal('staff-f', 'name', sealed.name)).toBe('Fatos');
  });

  it('gives a stable keyed index for uniqueness, never the clear value', () => {
    const index = vault.blindIndex('AL', 'EMP-001');
    expect(index).toBe(vault.blindIndex('AL', ' emp-001 '));
    expect(index).not.toBe(vault.blindIndex('RS', 'EMP-001'));
    expect(index).not.toContain('001');
  });

  it('refuses a malformed KEK and, in production, the development default', () => {
    expect(() => parseKeyRing('short')).toThrow(KeyRingConfigError);
    expect(() => assertProductionKeyRing(parseKeyRing(DEVELOPMENT_KEK))).toThrow(/development default/);
    expect(() => assertProductionKeyRing(parseKeyRing(K1))).not.toThrow();
  });
});

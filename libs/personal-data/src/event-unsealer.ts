import type { PersonalDataVault } from './personal-data-vault.js';

/** Unseals a personal field as events carry it: `{ alg, v, iv, ciphertext, tag }` (null: erased). */
export type EventUnsealer = (subject: string, field: string, sealed: unknown) => Promise<string | null>;

/**
 * Unsealing for projections (the worker's, and the CLI's rebuilds), through a vault connected
 * on first use by `connect` (a failed connection is retried at the next call).
 */
export function eventUnsealer(connect: () => Promise<PersonalDataVault>): EventUnsealer {
  let vault: Promise<PersonalDataVault> | undefined;
  return async (subject, field, sealed) => {
    vault ??= connect().catch((error: unknown) => {
      vault = undefined;
      throw error;
    });
    const value = sealed as Record<string, string> | null;
    const stored =
      value && typeof value === 'object' && 'ciphertext' in value
        ? { v: Number(value.v), alg: value.alg, iv: value.iv, ct: value.ciphertext, tag: value.tag }
        : value;
    return (await vault).unseal(subject, field, stored);
  };
}

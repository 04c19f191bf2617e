import type { KeyRing } from './key-encryption-keys.js';
import { isSealedValue, sealWith, unsealWith } from './sealed-value.js';

/**
 * A secret kept at rest (a webhook signing secret), sealed with AES-256-GCM directly under the
 * current key-encryption key and bound to its subject and field; the KEK's id travels with it, so
 * it still opens under a previous KEK after a rotation. Stored as JSON text.
 */
export function sealUnderRing(ring: KeyRing, subject: string, field: string, plaintext: string): string {
  return JSON.stringify({ kek: ring.current.id, ...sealWith(ring.current.key, subject, field, plaintext) });
}

/** Opens {@link sealUnderRing}'s text; throws when its KEK is not configured or it was tampered with. */
export function unsealUnderRing(ring: KeyRing, subject: string, field: string, stored: string): string {
  const parsed = JSON.parse(stored) as { kek?: unknown };
  const kek = typeof parsed.kek === 'string' ? ring.all.get(parsed.kek) : undefined;
  if (!kek || !isSealedValue(parsed)) {
    throw new Error(`a secret of ${subject} is sealed under a key-encryption key that is not configured`);
  }
  return unsealWith(kek.key, subject, field, parsed);
}

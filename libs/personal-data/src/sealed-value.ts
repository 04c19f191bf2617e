import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A personal field sealed with AES-256-GCM under its person's data key. The associated data binds
 * the ciphertext to its subject and field, so a sealed e-mail cannot be replayed as a name, nor
 * one person's field as another's. Stored in events as plain JSON.
 */
export interface SealedValue {
  readonly v: 1;
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export function isSealedValue(value: unknown): value is SealedValue {
  const v = value as Partial<SealedValue> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.v === 1 &&
    v.alg === 'A256GCM' &&
    typeof v.iv === 'string' &&
    typeof v.ct === 'string' &&
    typeof v.tag === 'string'
  );
}

const aad = (subject: string, field: string): Buffer => Buffer.from(`cadre:${subject}:${field}`, 'utf8');

export function sealWith(key: Buffer, subject: string, field: string, plaintext: string): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(subject, field));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    alg: 'A256GCM',
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Throws when the value was not sealed with this key for this subject and field. */
export function unsealWith(key: Buffer, subject: string, field: string, sealed: SealedValue): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(aad(subject, field));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

/** Wrapping a data key under a KEK: the same AEAD, bound to the subject. */
export const wrapKey = (kek: Buffer, subject: string, dataKey: Buffer): SealedValue =>
  sealWith(kek, subject, 'data-key', dataKey.toString('base64'));

export const unwrapKey = (kek: Buffer, subject: string, wrapped: SealedValue): Buffer =>
  Buffer.from(unsealWith(kek, subject, 'data-key', wrapped), 'base64');

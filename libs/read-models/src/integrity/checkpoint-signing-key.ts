import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The Ed25519 key that signs integrity checkpoints. Configuration gives it as
 * `<key id>:<base64 of the 32-byte seed>` (`CADRE_CHECKPOINT_KEY`); it is never stored in the
 * database, so whoever can rewrite the database cannot forge a checkpoint.
 */
export interface CheckpointSigningKey {
  readonly id: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** DEVELOPMENT ONLY: publicly known, so production refuses it. */
export const DEVELOPMENT_CHECKPOINT_KEY = `dev:${createHash('sha256').update('cadre development checkpoint key - never in production').digest('base64')}`;

// The fixed ASN.1 prefix of a PKCS#8 Ed25519 private key, followed by the 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const FORMAT = /^([A-Za-z0-9_.-]{1,40}):([A-Za-z0-9+/]{43}=)$/;

export class CheckpointKeyError extends Error {}

export function parseCheckpointKey(value: string): CheckpointSigningKey {
  const match = FORMAT.exec(value.trim());
  if (!match) {
    throw new CheckpointKeyError(
      'CADRE_CHECKPOINT_KEY must be "<id>:<base64 of a 32-byte Ed25519 seed>" (e.g. "k1:$(openssl rand -base64 32)").',
    );
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(match[2], 'base64')]),
    format: 'der',
    type: 'pkcs8',
  });
  return { id: match[1], privateKey, publicKey: createPublicKey(privateKey) };
}

export const isDevelopmentCheckpointKey = (value: string): boolean =>
  value.trim() === DEVELOPMENT_CHECKPOINT_KEY;

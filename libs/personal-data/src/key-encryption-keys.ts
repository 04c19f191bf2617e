import { createHash } from 'node:crypto';

/**
 * Key-encryption keys (KEKs) wrap the per-person data keys. Configuration gives the current one
 * (`CADRE_KEK`) and, while a rotation is under way, the previous ones (`CADRE_KEK_PREVIOUS`,
 * comma-separated): each written `<id>:<base64 of 32 bytes>`. A data key records the id of the KEK
 * that wrapped it, so old keys unwrap until `rewrapAll` has moved them to the current KEK.
 */
export interface KeyEncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

export interface KeyRing {
  readonly current: KeyEncryptionKey;
  readonly all: ReadonlyMap<string, KeyEncryptionKey>;
}

/**
 * DEVELOPMENT ONLY. A publicly known KEK so that `npm start` works on a fresh machine; any
 * production start refuses it (see {@link assertProductionKeyRing}).
 */
export const DEVELOPMENT_KEK = `dev:${createHash('sha256').update('cadre development KEK - never in production').digest('base64')}`;

const FORMAT = /^([A-Za-z0-9_.-]{1,40}):([A-Za-z0-9+/]{43}=)$/;

export class KeyRingConfigError extends Error {}

export function parseKek(value: string, variable: string): KeyEncryptionKey {
  const match = FORMAT.exec(value.trim());
  if (!match) {
    throw new KeyRingConfigError(
      `${variable} must be "<id>:<base64 of 32 random bytes>" (e.g. "k1:$(openssl rand -base64 32)").`,
    );
  }
  return { id: match[1], key: Buffer.from(match[2], 'base64') };
}

export function parseKeyRing(current: string, previous = ''): KeyRing {
  const head = parseKek(current, 'CADRE_KEK');
  const all = new Map<string, KeyEncryptionKey>([[head.id, head]]);
  for (const entry of previous
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)) {
    const kek = parseKek(entry, 'CADRE_KEK_PREVIOUS');
    if (!all.has(kek.id)) all.set(kek.id, kek);
  }
  return { current: head, all };
}

export function usesDevelopmentKek(ring: KeyRing): boolean {
  const dev = parseKek(DEVELOPMENT_KEK, 'CADRE_KEK');
  return [...ring.all.values()].some((kek) => kek.key.equals(dev.key));
}

/** Production refuses to start on the development KEK. */
export function assertProductionKeyRing(ring: KeyRing): void {
  if (usesDevelopmentKek(ring)) {
    throw new KeyRingConfigError('CADRE_KEK is the development default: production needs a key of its own.');
  }
}

/**
 * The key ring of the configuration (CADRE_KEK, or the development KEK; CADRE_KEK_PREVIOUS), and
 * in production never the development one.
 */
export function configuredKeyRing(config: {
  readonly CADRE_KEK?: string;
  readonly CADRE_KEK_PREVIOUS?: string;
  readonly NODE_ENV: string;
}): KeyRing {
  const ring = parseKeyRing(config.CADRE_KEK ?? DEVELOPMENT_KEK, config.CADRE_KEK_PREVIOUS);
  if (config.NODE_ENV === 'production') assertProductionKeyRing(ring);
  return ring;
}

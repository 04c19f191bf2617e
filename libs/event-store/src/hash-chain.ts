import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { IntegrityProblem, NewEvent, RecordedEvent, StreamIntegrity } from './event-store.port.js';

/**
 * The per-stream hash chain:
 *   hash(n) = sha256( bytes(hash(n-1)) ‖ UTF-8 of RFC 8785 canonical JSON of
 *                     {eventId, stream, revision, type, data, metadata} )
 * with no previous bytes for revision 0. The store-assigned `recordedAt` and position are outside
 * the hash: they belong to the store, not to the fact. Hashes travel as lower-case hex.
 */
export const canonicalEventJson = (
  event: Pick<NewEvent, 'eventId' | 'type' | 'data' | 'metadata'>,
  stream: string,
  revision: number,
): string =>
  canonicalize({
    eventId: event.eventId,
    stream,
    revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });

export const chainHash = (previousHash: string | null, canonicalJson: string): string => {
  const sha = createHash('sha256');
  if (previousHash !== null) sha.update(Buffer.from(previousHash, 'hex'));
  return sha.update(canonicalJson, 'utf8').digest('hex');
};

/**
 * The canonical JSON split around the revision, which the PostgreSQL adapter only learns inside
 * its append transaction (`any` appends). Keys sort as data, eventId, metadata, revision, stream,
 * type, so `prefix + revision + suffix` equals {@link canonicalEventJson}.
 */
export const canonicalParts = (
  event: Pick<NewEvent, 'eventId' | 'type' | 'data' | 'metadata'>,
  stream: string,
): { prefix: string; suffix: string; dataJson: string; metadataJson: string } => {
  const dataJson = canonicalize(event.data);
  const metadataJson = canonicalize(event.metadata);
  return {
    prefix: `{"data":${dataJson},"eventId":${JSON.stringify(event.eventId)},"metadata":${metadataJson},"revision":`,
    suffix: `,"stream":${JSON.stringify(stream)},"type":${JSON.stringify(event.type)}}`,
    dataJson,
    metadataJson,
  };
};

/** Verifies a whole stream, read forwards from revision 0. Shared by every adapter. */
export const verifyChain = (stream: string, events: readonly RecordedEvent[]): StreamIntegrity => {
  const problems: IntegrityProblem[] = [];
  let previous: string | null = null;
  events.forEach((event, index) => {
    if (event.revision !== index) {
      problems.push({
        revision: event.revision,
        kind: 'revision_gap',
        detail: `expected revision ${index}, found ${event.revision}`,
      });
    }
    const expected = chainHash(previous, canonicalEventJson(event, stream, event.revision));
    if (expected !== event.hash) {
      problems.push({
        revision: event.revision,
        kind: 'hash_mismatch',
        detail: `recorded hash ${event.hash} differs from the recomputed ${expected}`,
      });
    }
    // Chain on the recorded hash so that one altered event is reported once, not for every successor.
    previous = event.hash;
  });
  const head = events.at(-1);
  return {
    stream,
    ok: problems.length === 0,
    eventCount: events.length,
    headRevision: head?.revision ?? null,
    headHash: head?.hash ?? null,
    problems,
  };
};

import { withTransaction } from '@cadre/platform/database';
import { ADVISORY_LOCKS, ddlLockSql } from '@cadre/kernel';
import { sign, verify } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type pg from 'pg';
import { verifyChain, type EventStore, type RecordedEvent } from '@cadre/event-store';
import { readCheckpoint } from '@cadre/subscriptions';
import { HISTORY_SCHEMA } from '../history/history.projection.js';
import type { CheckpointSigningKey } from './checkpoint-signing-key.js';

export const INTEGRITY_SCHEMA = 'cadre_integrity';

// Under a transaction-level advisory lock, as the checkpoints' DDL (see checkpoint-store.ts).
const SCHEMA_SQL = `
${ddlLockSql(ADVISORY_LOCKS.signedCheckpointsDdl)}
CREATE SCHEMA IF NOT EXISTS ${INTEGRITY_SCHEMA};
CREATE TABLE IF NOT EXISTS ${INTEGRITY_SCHEMA}.checkpoints (
  id          bigserial PRIMARY KEY,
  created_at  timestamptz NOT NULL,
  body        json NOT NULL,
  key_id      text NOT NULL,
  signature   text NOT NULL
);`;

export interface StreamHead {
  readonly stream: string;
  readonly revision: number;
  readonly hash: string;
}

/** What a checkpoint asserts: the log's head and every stream's head revision and hash. */
export interface CheckpointBody {
  readonly createdAt: string;
  /** The global position up to which the heads were taken. */
  readonly headPosition: string | null;
  readonly streams: readonly StreamHead[];
}

export interface SignedCheckpoint {
  readonly id: number;
  readonly body: CheckpointBody;
  readonly keyId: string;
  readonly signature: string;
}

export type IntegrityFindingKind =
  'hash_mismatch' | 'revision_gap' | 'rewritten' | 'truncated' | 'vanished' | 'checkpoint_signature_invalid';

export interface IntegrityFinding {
  readonly stream: string | null;
  readonly kind: IntegrityFindingKind;
  readonly revision?: number;
  readonly detail: string;
}

export interface IntegrityReport {
  readonly ok: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  readonly checkpoint: {
    readonly id: number;
    readonly createdAt: string;
    readonly headPosition: string | null;
  } | null;
  readonly findings: readonly IntegrityFinding[];
}

/**
 * Signed checkpoints of the log, and the verification that uses them. A hash chain alone cannot
 * see a stream rewritten and re-chained, a deleted tail, or a vanished stream: a checkpoint signed
 * with a key that is not in the database records each stream's head revision and hash, so any of
 * those shows up against the latest checkpoint.
 */
export class SignedCheckpoints {
  private ready: Promise<unknown> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
    private readonly key: CheckpointSigningKey,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Signs the stream heads as the history read model knows them, at its checkpoint. */
  async write(): Promise<SignedCheckpoint> {
    await this.schema();
    // One snapshot: the heads as the history knew them at its checkpoint.
    const { position, rows } = await withTransaction(
      this.pool,
      async (client) => ({
        position: (await readCheckpoint(client, 'history'))?.position ?? null,
        rows: (
          await client.query<{ stream: string; revision: string; hash: string }>(
            `SELECT stream, revision::text AS revision, hash FROM ${HISTORY_SCHEMA}.stream_heads ORDER BY stream`,
          )
        ).rows,
      }),
      { begin: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' },
    );
    const body: CheckpointBody = {
      createdAt: this.clock().toISOString(),
      headPosition: position,
      streams: rows.map((row) => ({ stream: row.stream, revision: Number(row.revision), hash: row.hash })),
    };
    const signature = sign(null, Buffer.from(canonicalize(body)), this.key.privateKey).toString('base64');
    const inserted = await this.pool.query<{ id: string }>(
      `INSERT INTO ${INTEGRITY_SCHEMA}.checkpoints (created_at, body, key_id, signature) VALUES ($1, $2, $3, $4) RETURNING id`,
      [body.createdAt, JSON.stringify(body), this.key.id, signature],
    );
    return { id: Number(inserted.rows[0].id), body, keyId: this.key.id, signature };
  }

  async latest(): Promise<SignedCheckpoint | null> {
    await this.schema();
    const { rows } = await this.pool.query<{
      id: string;
      body: CheckpointBody;
      key_id: string;
      signature: string;
    }>(`SELECT id, body, key_id, signature FROM ${INTEGRITY_SCHEMA}.checkpoints ORDER BY id DESC LIMIT 1`);
    const row = rows[0];
    return row ? { id: Number(row.id), body: row.body, keyId: row.key_id, signature: row.signature } : null;
  }

  /**
   * Verifies one stream, or every stream (the checkpoint's and those the history knows), against
   * its hash chain and the latest signed checkpoint. `onProgress` reports streams done / total.
   * A stream whose events `mayRead` refuses is answered as a stream that does not exist (no
   * events, nothing signed): the answer tells neither its length nor that it exists.
   */
  async verify(
    options: {
      stream?: string;
      onProgress?: (done: number, total: number) => void;
      mayRead?: (recorded: readonly RecordedEvent[]) => boolean;
    } = {},
  ): Promise<IntegrityReport> {
    const checkpoint = await this.latest();
    const findings: IntegrityFinding[] = [];
    if (checkpoint && !this.signatureValid(checkpoint)) {
      findings.push({
        stream: null,
        kind: 'checkpoint_signature_invalid',
        detail: `checkpoint ${checkpoint.id} does not carry a valid signature of key ${this.key.id}: it was altered or forged`,
      });
    }
    const signed = new Map((checkpoint?.body.streams ?? []).map((head) => [head.stream, head]));
    const streams = options.stream ? [options.stream] : await this.allStreams(signed);
    let events = 0;
    for (const [index, stream] of streams.entries()) {
      // As stored: the hash chain covers the stored bytes, never the upcast form (decision 0014).
      const stored = await this.store.readStream(stream, { stored: true });
      const readable = !options.mayRead || options.mayRead(stored);
      const recorded = readable ? stored : [];
      events += recorded.length;
      const chain = verifyChain(stream, recorded);
      for (const problem of chain.problems) findings.push({ stream, ...problem });
      const head = readable ? signed.get(stream) : undefined;
      if (head) findings.push(...compareWithCheckpoint(stream, head, recorded));
      options.onProgress?.(index + 1, streams.length);
    }
    return {
      ok: findings.length === 0,
      streamsChecked: streams.length,
      eventsChecked: events,
      checkpoint: checkpoint
        ? {
            id: checkpoint.id,
            createdAt: checkpoint.body.createdAt,
            headPosition: checkpoint.body.headPosition,
          }
        : null,
      findings,
    };
  }

  private signatureValid(checkpoint: SignedCheckpoint): boolean {
    try {
      return verify(
        null,
        Buffer.from(canonicalize(checkpoint.body)),
        this.key.publicKey,
        Buffer.from(checkpoint.signature, 'base64'),
      );
    } catch {
      return false;
    }
  }

  private async allStreams(signed: Map<string, StreamHead>): Promise<string[]> {
    const { rows } = await this.pool
      .query<{ stream: string }>(`SELECT stream FROM ${HISTORY_SCHEMA}.stream_heads`)
      .catch(() => ({ rows: [] as { stream: string }[] }));
    return [...new Set([...signed.keys(), ...rows.map((row) => row.stream)])].sort();
  }

  private schema(): Promise<unknown> {
    this.ready ??= this.pool.query(SCHEMA_SQL).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }
}

function compareWithCheckpoint(
  stream: string,
  head: StreamHead,
  recorded: readonly { revision: number; hash: string }[],
): IntegrityFinding[] {
  if (recorded.length === 0) {
    return [
      {
        stream,
        kind: 'vanished',
        detail: `the checkpoint signed ${head.revision + 1} events; the stream has none`,
      },
    ];
  }
  const atHead = recorded.find((event) => event.revision === head.revision);
  if (!atHead) {
    return [
      {
        stream,
        kind: 'truncated',
        revision: head.revision,
        detail: `the checkpoint signed revision ${head.revision}; the stream ends at ${recorded[recorded.length - 1].revision}`,
      },
    ];
  }
  if (atHead.hash !== head.hash) {
    return [
      {
        stream,
        kind: 'rewritten',
        revision: head.revision,
        detail: `revision ${head.revision} hashes to ${atHead.hash}, the checkpoint signed ${head.hash}: the stream was rewritten and re-chained`,
      },
    ];
  }
  return [];
}

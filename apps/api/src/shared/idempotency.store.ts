import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { canonicalize } from 'json-canonicalize';
import type pg from 'pg';
import { writtenUnder } from '@cadre/command-handling';
import { PG_POOL } from '@cadre/command-handling/nest';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@cadre/event-store';
import { CadreError } from '@cadre/kernel';
import { AppConfig } from '@cadre/platform';

const SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS cadre_api;
CREATE TABLE IF NOT EXISTS cadre_api.idempotency_keys (
  scope         text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status        int,
  body          json,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
ALTER TABLE cadre_api.idempotency_keys
  ADD COLUMN IF NOT EXISTS owner         text,
  ADD COLUMN IF NOT EXISTS heartbeat_at  timestamptz,
  ADD COLUMN IF NOT EXISTS from_position text;`;

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_HOURS = 24;

export class IdempotencyKeyReusedError extends CadreError {
  readonly category = 'rule' as const;
  constructor() {
    super(
      'IDEMPOTENCY.KEY_REUSED',
      'This Idempotency-Key was already used with a different request body; use a new key.',
    );
  }
}

export class IdempotencyInProgressError extends CadreError {
  readonly category = 'conflict' as const;
  constructor() {
    super(
      'IDEMPOTENCY.IN_PROGRESS',
      'A request with this Idempotency-Key is still being processed; retry in a moment.',
    );
  }
}

/** A claim this process holds: its owner token, renewed by {@link IdempotencyStore.heartbeat}. */
export interface IdempotencyClaim {
  readonly scope: string;
  readonly key: string;
  readonly owner: string;
}

export type IdempotencyBegin =
  | { readonly kind: 'new'; readonly claim: IdempotencyClaim }
  | {
      /**
       * The claim was taken over from an owner whose lease lapsed (it died, or lost the database,
       * mid-command): `written` are the events its command appended, in log order (maybe none).
       */
      readonly kind: 'recovered';
      readonly claim: IdempotencyClaim;
      readonly written: readonly RecordedEvent[];
    }
  | { readonly kind: 'replay'; readonly status: number; readonly body: unknown };

interface KeyRow {
  request_hash: string;
  status: number | null;
  body: unknown;
  owner: string | null;
  lapsed: boolean;
  from_position: string | null;
}

/**
 * `Idempotency-Key` records, scoped to the caller and the route, kept 24 h. A key is claimed
 * before the command runs (so two concurrent requests with one key cannot both run), completed
 * with the response, and released when the command fails, so that the client may retry.
 *
 * A claim is a lease (decision 0019): it names its owner and the store's head position when it was
 * taken, and the owner renews its heartbeat while the command runs. A claim whose heartbeat is
 * older than `CADRE_IDEMPOTENCY_LEASE_MS` (its owner died or lost the database) is taken over by
 * the next retry, which looks in the log, from that position, for the events the command wrote.
 */
@Injectable()
export class IdempotencyStore {
  private ready: Promise<unknown> | null = null;
  private readonly leaseMs: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    config: AppConfig,
  ) {
    this.leaseMs = config.CADRE_IDEMPOTENCY_LEASE_MS;
  }

  static hash(body: unknown): string {
    return createHash('sha256')
      .update(canonicalize(body ?? null))
      .digest('hex');
  }

  /** How often a running command's claim is renewed. */
  get heartbeatMs(): number {
    return Math.max(100, Math.floor(this.leaseMs / 3));
  }

  async begin(scope: string, key: string, requestHash: string): Promise<IdempotencyBegin> {
    await this.schema();
    const owner = randomUUID();
    const head = await this.store.headPosition();
    const claimed = await this.pool.query(
      `INSERT INTO cadre_api.idempotency_keys (scope, key, request_hash, owner, heartbeat_at, from_position)
       VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = NULL, body = NULL,
         created_at = now(), owner = EXCLUDED.owner, heartbeat_at = now(), from_position = EXCLUDED.from_position
         WHERE cadre_api.idempotency_keys.created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
       RETURNING 1`,
      [scope, key, requestHash, owner, head],
    );
    if ((claimed.rowCount ?? 0) > 0) return { kind: 'new', claim: { scope, key, owner } };
    const { rows } = await this.pool.query<KeyRow>(
      `SELECT request_hash, status, body, owner, from_position,
              coalesce(heartbeat_at, created_at) < now() - make_interval(secs => $3::double precision / 1000) AS lapsed
         FROM cadre_api.idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key, this.leaseMs],
    );
    const row = rows[0];
    if (!row) return this.begin(scope, key, requestHash);
    if (row.request_hash !== requestHash) throw new IdempotencyKeyReusedError();
    if (row.status !== null) return { kind: 'replay', status: row.status, body: row.body };
    if (!row.lapsed) throw new IdempotencyInProgressError();
    return this.takeOver({ scope, key, owner }, row);
  }

  /**
   * Takes a lapsed claim (only one retry wins it: the others see it alive again) and looks for
   * what its command wrote: the events after the claim's position that carry its key and scope.
   */
  private async takeOver(claim: IdempotencyClaim, row: KeyRow): Promise<IdempotencyBegin> {
    const taken = await this.pool.query(
      `UPDATE cadre_api.idempotency_keys SET owner = $3, heartbeat_at = now()
        WHERE scope = $1 AND key = $2 AND status IS NULL AND owner IS NOT DISTINCT FROM $4
          AND coalesce(heartbeat_at, created_at) < now() - make_interval(secs => $5::double precision / 1000)`,
      [claim.scope, claim.key, claim.owner, row.owner, this.leaseMs],
    );
    if ((taken.rowCount ?? 0) === 0) throw new IdempotencyInProgressError();
    const written = await writtenUnder(this.store, claim, row.from_position);
    return { kind: 'recovered', claim, written };
  }

  /** Renews the claim's lease; false when this owner no longer holds it (taken over, or gone). */
  async heartbeat(claim: IdempotencyClaim): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE cadre_api.idempotency_keys SET heartbeat_at = now()
        WHERE scope = $1 AND key = $2 AND owner = $3 AND status IS NULL`,
      [claim.scope, claim.key, claim.owner],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Records the answer, if this owner still holds the claim (else the one that took it over does). */
  async complete(claim: IdempotencyClaim, status: number, body: unknown): Promise<void> {
    await this.pool.query(
      `UPDATE cadre_api.idempotency_keys SET status = $4, body = $5
        WHERE scope = $1 AND key = $2 AND owner = $3 AND status IS NULL`,
      [claim.scope, claim.key, claim.owner, status, JSON.stringify(body)],
    );
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    await this.pool.query(
      'DELETE FROM cadre_api.idempotency_keys WHERE scope = $1 AND key = $2 AND owner = $3 AND status IS NULL',
      [claim.scope, claim.key, claim.owner],
    );
  }

  private schema(): Promise<unknown> {
    this.ready ??= this.pool.query(SCHEMA_SQL).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }
}

import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { canonicalize } from 'json-canonicalize';
import type pg from 'pg';
import { CadreError } from '@cadre/kernel';
import { PG_POOL } from '@cadre/command-handling/nest';

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
);`;

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

export type IdempotencyBegin =
  { readonly kind: 'new' } | { readonly kind: 'replay'; readonly status: number; readonly body: unknown };

/**
 * `Idempotency-Key` records, scoped to the caller and the route, kept 24 h. A key is claimed
 * before the command runs (so two concurrent requests with one key cannot both run), completed
 * with the response, and released when the command fails, so that the client may retry.
 */
@Injectable()
export class IdempotencyStore {
  private ready: Promise<unknown> | null = null;

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  static hash(body: unknown): string {
    return createHash('sha256')
      .update(canonicalize(body ?? null))
      .digest('hex');
  }

  async begin(scope: string, key: string, requestHash: string): Promise<IdempotencyBegin> {
    await this.schema();
    const claimed = await this.pool.query(
      `INSERT INTO cadre_api.idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = NULL, body = NULL, created_at = now()
         WHERE cadre_api.idempotency_keys.created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
       RETURNING 1`,
      [scope, key, requestHash],
    );
    if ((claimed.rowCount ?? 0) > 0) return { kind: 'new' };
    const { rows } = await this.pool.query<{ request_hash: string; status: number | null; body: unknown }>(
      'SELECT request_hash, status, body FROM cadre_api.idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    const row = rows[0];
    if (!row) return this.begin(scope, key, requestHash);
    if (row.request_hash !== requestHash) throw new IdempotencyKeyReusedError();
    if (row.status === null) throw new IdempotencyInProgressError();
    return { kind: 'replay', status: row.status, body: row.body };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.pool.query(
      'UPDATE cadre_api.idempotency_keys SET status = $3, body = $4 WHERE scope = $1 AND key = $2',
      [scope, key, status, JSON.stringify(body)],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await this.pool.query(
      'DELETE FROM cadre_api.idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL',
      [scope, key],
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

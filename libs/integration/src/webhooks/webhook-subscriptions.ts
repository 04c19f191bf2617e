import { withTransaction } from '@cadre/platform/database';
import { ADVISORY_LOCKS, ddlLockSql, randomIds, storableText } from '@cadre/kernel';
import { sealUnderRing, unsealUnderRing, type KeyRing } from '@cadre/personal-data';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { EndpointState } from './endpoint-health.js';

export const WEBHOOKS_SCHEMA = 'cadre_webhooks';

const DDL = `
${ddlLockSql(ADVISORY_LOCKS.webhooksDdl)}
CREATE SCHEMA IF NOT EXISTS ${WEBHOOKS_SCHEMA};
CREATE TABLE IF NOT EXISTS ${WEBHOOKS_SCHEMA}.subscriptions (
  subscription_id uuid PRIMARY KEY,
  owner           text NOT NULL,
  url             text NOT NULL,
  event_types     text[] NOT NULL,
  jurisdictions   text[] NOT NULL,
  secret          text NOT NULL,
  cursor          text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS previous_secret text;
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS previous_secret_until timestamptz;
-- lease_owner and lease_until (row leases) are no longer written: delivery takes the process's
-- session leases (decision 0016). Kept so that a worker of the previous version still starts.
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS lease_owner text;
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS lease_until timestamptz;
-- A dead letter keeps ids and the position only: its body is rebuilt from the log at redelivery
-- (an erased member's employeeRef is null then, as in the feed). subject: the member's surrogate id.
CREATE TABLE IF NOT EXISTS ${WEBHOOKS_SCHEMA}.dead_letters (
  subscription_id uuid NOT NULL,
  event_id        uuid NOT NULL,
  subject         text NOT NULL,
  position        text NOT NULL,
  attempts        int NOT NULL,
  last_error      text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscription_id, event_id)
);
-- Per-subject delivery (decision 0025): existing subscriptions keep their strict order (1).
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS max_in_flight int NOT NULL DEFAULT 1;
-- The events enqueued for delivery, in log order (seq), until delivered or dead-lettered: ids
-- and positions only, the body is rebuilt from the log when it is sent.
CREATE TABLE IF NOT EXISTS ${WEBHOOKS_SCHEMA}.deliveries (
  subscription_id uuid NOT NULL,
  seq             bigserial,
  event_id        uuid NOT NULL,
  position        text NOT NULL,
  stream          text NOT NULL,
  revision        int NOT NULL,
  subject         text NOT NULL,
  recorded_at     timestamptz NOT NULL,
  -- 'replay': sent again on request (Cadre-Redelivery: replay); null: its first delivery.
  redelivery      text,
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_by      text,
  last_error      text,
  PRIMARY KEY (subscription_id, seq)
);
-- The receiver's health (decision 0025).
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS state text NOT NULL DEFAULT 'active';
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS consecutive_failures int NOT NULL DEFAULT 0;
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS last_success_at timestamptz;
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS last_failure_at timestamptz;
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS failing_since timestamptz;
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS probes int NOT NULL DEFAULT 0;
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS hold_until timestamptz;
ALTER TABLE ${WEBHOOKS_SCHEMA}.subscriptions ADD COLUMN IF NOT EXISTS state_reason text;
CREATE INDEX IF NOT EXISTS deliveries_by_subject ON ${WEBHOOKS_SCHEMA}.deliveries (subscription_id, subject, seq);`;

/**
 * Dead letters of earlier versions kept the body they were to deliver (personal data: the
 * employeeRef): keep its subject, drop the body. Run after {@link DDL}, in its transaction.
 */
const DEAD_LETTERS_WITHOUT_BODIES = `
DO $migrate$ BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
              WHERE table_schema = '${WEBHOOKS_SCHEMA}' AND table_name = 'dead_letters' AND column_name = 'event') THEN
    ALTER TABLE ${WEBHOOKS_SCHEMA}.dead_letters ADD COLUMN IF NOT EXISTS subject text;
    -- Every body has a subject; were one to lack it, the letter stays listed (not redeliverable).
    UPDATE ${WEBHOOKS_SCHEMA}.dead_letters SET subject = coalesce(event->>'subject', '') WHERE subject IS NULL;
    ALTER TABLE ${WEBHOOKS_SCHEMA}.dead_letters DROP COLUMN event;
    ALTER TABLE ${WEBHOOKS_SCHEMA}.dead_letters ALTER COLUMN subject SET NOT NULL;
  END IF;
END $migrate$;`;

/** A dead letter as kept: which event (its id, its member, its position), never its body. */
export interface DeadLetter {
  readonly eventId: string;
  /** The member's surrogate id (the CloudEvents `subject`): where the event is read back from. */
  readonly subject: string;
  /** The event's position (its `sequence`), as recorded: possibly in an older spelling. */
  readonly position: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly recordedAt: string;
}

export interface WebhookSubscription {
  readonly id: string;
  readonly owner: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly jurisdictions: readonly string[];
  /** Where delivery stands: the position of the last event handled (null: from the beginning). */
  readonly cursor: string | null;
  /** Events delivered at once (of different subjects); one subject's events go one at a time. */
  readonly maxInFlight: number;
  readonly createdAt: string;
  readonly state: EndpointState;
  /** Why it is failing or disabled; null otherwise. */
  readonly stateReason: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastFailureAt: string | null;
  readonly consecutiveFailures: number;
  /** What is queued and not yet delivered: how many events, and how old the oldest is (seconds). */
  readonly lag: { readonly events: number; readonly seconds: number };
}

/** The bounds of `maxInFlight`, and what a new subscription gets. */
export const MAX_IN_FLIGHT = { min: 1, max: 64, default: 16 } as const;

interface Row {
  subscription_id: string;
  owner: string;
  url: string;
  event_types: string[];
  jurisdictions: string[];
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  cursor: string | null;
  max_in_flight: number;
  created_at: Date;
  state: EndpointState;
  state_reason: string | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  consecutive_failures: number;
  pending?: number;
  oldest?: Date | null;
}

/** A subscription with what is queued for it. */
const SELECT = `SELECT s.*, q.pending, q.oldest FROM ${WEBHOOKS_SCHEMA}.subscriptions s
  LEFT JOIN LATERAL (SELECT count(*)::int AS pending, min(recorded_at) AS oldest
                       FROM ${WEBHOOKS_SCHEMA}.deliveries d WHERE d.subscription_id = s.subscription_id) q ON true`;

/**
 * How signing secrets are kept at rest: sealed (under the key-encryption keys, see
 * `sealUnderRing`), never in clear. `unseal` also reads a secret stored in clear before sealing
 * existed (`whsec_…`).
 */
export interface SecretBox {
  seal(subscriptionId: string, secret: string): string;
  unseal(subscriptionId: string, stored: string): string;
}

/** A {@link SecretBox} over the key ring of CADRE_KEK / CADRE_KEK_PREVIOUS. */
export const keyRingSecretBox = (ring: KeyRing): SecretBox => ({
  seal: (id, secret) => sealUnderRing(ring, id, SECRET_FIELD, secret),
  unseal: (id, stored) =>
    stored.startsWith('whsec_') ? stored : unsealUnderRing(ring, id, SECRET_FIELD, stored),
});

const SECRET_FIELD = 'webhook-secret';

interface DeadLetterRow {
  event_id: string;
  subject: string;
  position: string;
  attempts: number;
  last_error: string;
  recorded_at: Date;
}

const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
  eventId: row.event_id,
  subject: row.subject,
  position: row.position,
  attempts: row.attempts,
  lastError: row.last_error,
  recordedAt: row.recorded_at.toISOString(),
});

const toSubscription = (row: Row): WebhookSubscription => ({
  id: row.subscription_id,
  owner: row.owner,
  url: row.url,
  eventTypes: row.event_types,
  jurisdictions: row.jurisdictions,
  cursor: row.cursor,
  maxInFlight: row.max_in_flight,
  createdAt: row.created_at.toISOString(),
  state: row.state,
  stateReason: row.state_reason,
  lastSuccessAt: row.last_success_at?.toISOString() ?? null,
  lastFailureAt: row.last_failure_at?.toISOString() ?? null,
  consecutiveFailures: row.consecutive_failures,
  lag: {
    events: row.pending ?? 0,
    seconds: row.oldest ? Math.max(0, Math.round((Date.now() - row.oldest.getTime()) / 1000)) : 0,
  },
});

/** The webhook subscriptions of HR systems, and their signing secrets (Standard Webhooks `whsec_`). */
export class WebhookSubscriptions {
  private ready: Promise<void> | null = null;

  constructor(
    readonly pool: pg.Pool,
    private readonly box: SecretBox,
  ) {}

  /** The secrets a delivery signs with: the current one, and the previous one during the overlap. */
  private secretsOf(row: Row): string[] {
    const current = this.box.unseal(row.subscription_id, row.secret);
    return row.previous_secret &&
      row.previous_secret_until &&
      row.previous_secret_until.getTime() > Date.now()
      ? [current, this.box.unseal(row.subscription_id, row.previous_secret)]
      : [current];
  }

  /** Creates the tables when they are missing (once per instance). */
  ensure(): Promise<void> {
    this.ready ??= (async () => {
      await withTransaction(this.pool, async (client) => {
        await client.query(DDL);
        await client.query(DEAD_LETTERS_WITHOUT_BODIES);
      });
    })().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  /** Creates a subscription; the secret is returned here only. */
  async create(spec: {
    owner: string;
    url: string;
    eventTypes: readonly string[];
    jurisdictions: readonly string[];
    cursor: string | null;
    maxInFlight?: number;
  }): Promise<WebhookSubscription & { secret: string }> {
    await this.ensure();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const id = randomIds();
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO ${WEBHOOKS_SCHEMA}.subscriptions (subscription_id, owner, url, event_types, jurisdictions, secret, cursor, max_in_flight)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        id,
        spec.owner,
        spec.url,
        spec.eventTypes,
        spec.jurisdictions,
        this.box.seal(id, secret),
        spec.cursor,
        spec.maxInFlight ?? MAX_IN_FLIGHT.default,
      ],
    );
    return { ...toSubscription(rows[0]), secret };
  }

  async list(owner?: string): Promise<WebhookSubscription[]> {
    await this.ensure();
    const { rows } = await this.pool.query<Row>(
      `${SELECT} WHERE s.deleted_at IS NULL AND ($1::text IS NULL OR s.owner = $1)
       ORDER BY s.created_at, s.subscription_id`,
      [owner ?? null],
    );
    return rows.map(toSubscription);
  }

  async get(id: string, owner?: string): Promise<WebhookSubscription | null> {
    await this.ensure();
    const { rows } = await this.pool.query<Row>(
      `${SELECT} WHERE s.subscription_id::text = $1 AND s.deleted_at IS NULL AND ($2::text IS NULL OR s.owner = $2)`,
      [id, owner ?? null],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /** A subscription as {@link get} gives it, without reading its queue (lag zero): for delivery. */
  async withoutLag(id: string): Promise<WebhookSubscription | null> {
    await this.ensure();
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${WEBHOOKS_SCHEMA}.subscriptions WHERE subscription_id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /**
   * The ids of the subscriptions to deliver to (what the dispatcher looks at every second): not
   * deleted and not `disabled` — a disabled subscription queues nothing (its cursor stays where it
   * stood) until `enable` starts it again from there. A `paused` one keeps queueing (decision 0025).
   */
  async activeIds(): Promise<string[]> {
    await this.ensure();
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT subscription_id AS id FROM ${WEBHOOKS_SCHEMA}.subscriptions
        WHERE deleted_at IS NULL AND state <> 'disabled' ORDER BY created_at`,
    );
    return rows.map((row) => row.id);
  }

  /** The subscriptions to deliver to, with their secrets (the worker only). */
  async active(): Promise<(WebhookSubscription & { secrets: string[] })[]> {
    await this.ensure();
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${WEBHOOKS_SCHEMA}.subscriptions WHERE deleted_at IS NULL ORDER BY created_at`,
    );
    return rows.map((row) => ({ ...toSubscription(row), secrets: this.secretsOf(row) }));
  }

  /**
   * A new signing secret, returned once; deliveries are signed with both the new and the previous
   * one for `overlapMs`, so the receiver can switch without losing an event.
   */
  async rotateSecret(id: string, owner: string | undefined, overlapMs: number): Promise<string | null> {
    await this.ensure();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const { rowCount } = await this.pool.query(
      `UPDATE ${WEBHOOKS_SCHEMA}.subscriptions
          SET previous_secret = secret, previous_secret_until = now() + ($3::bigint * interval '1 millisecond'), secret = $4
        WHERE subscription_id::text = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR owner = $2)`,
      [id, owner ?? null, overlapMs, this.box.seal(id.toLowerCase(), secret)],
    );
    return (rowCount ?? 0) > 0 ? secret : null;
  }

  /** One dead letter (null when there is none): its body is rebuilt from the log to redeliver it. */
  async deadLetter(id: string, eventId: string): Promise<DeadLetter | null> {
    await this.ensure();
    const { rows } = await this.pool.query<DeadLetterRow>(
      `SELECT * FROM ${WEBHOOKS_SCHEMA}.dead_letters WHERE subscription_id::text = $1 AND event_id::text = $2`,
      [id, eventId],
    );
    return rows[0] ? toDeadLetter(rows[0]) : null;
  }

  async removeDeadLetter(id: string, eventId: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${WEBHOOKS_SCHEMA}.dead_letters WHERE subscription_id::text = $1 AND event_id::text = $2`,
      [id, eventId],
    );
  }

  /** Changes how many events are delivered at once; false when there is no such subscription. */
  async setMaxInFlight(id: string, owner: string | undefined, maxInFlight: number): Promise<boolean> {
    await this.ensure();
    const { rowCount } = await this.pool.query(
      `UPDATE ${WEBHOOKS_SCHEMA}.subscriptions SET max_in_flight = $3
        WHERE subscription_id::text = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR owner = $2)`,
      [id, owner ?? null, maxInFlight],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Moves the subscription to `to` if it is in one of `from` (pause, resume, enable); leaving
   * `disabled` or `paused` for `active` starts its health afresh. `missing` when there is no such
   * subscription (of `owner`), `conflict` when it is in another state.
   */
  async changeState(
    id: string,
    owner: string | undefined,
    from: readonly EndpointState[],
    to: EndpointState,
  ): Promise<'changed' | 'conflict' | 'missing'> {
    await this.ensure();
    const { rows } = await this.pool.query<{ changed: boolean }>(
      `WITH found AS (
         SELECT subscription_id FROM ${WEBHOOKS_SCHEMA}.subscriptions
          WHERE subscription_id::text = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR owner = $2)
       ), changed AS (
         UPDATE ${WEBHOOKS_SCHEMA}.subscriptions s SET state = $4, state_reason = NULL, hold_until = NULL,
                consecutive_failures = CASE WHEN $4 = 'active' THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN $4 = 'active' THEN NULL ELSE failing_since END,
                probes = CASE WHEN $4 = 'active' THEN 0 ELSE probes END
           FROM found WHERE s.subscription_id = found.subscription_id AND s.state = ANY($3::text[])
          RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM changed) AS changed FROM found`,
      [id, owner ?? null, from, to],
    );
    if (!rows[0]) return 'missing';
    return rows[0].changed ? 'changed' : 'conflict';
  }

  /** Deletes a subscription, and its pending deliveries with it. */
  async remove(id: string, owner?: string): Promise<boolean> {
    await this.ensure();
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `UPDATE ${WEBHOOKS_SCHEMA}.subscriptions SET deleted_at = now()
         WHERE subscription_id::text = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR owner = $2)
         RETURNING subscription_id AS id`,
        [id, owner ?? null],
      );
      if (rows[0])
        await client.query(`DELETE FROM ${WEBHOOKS_SCHEMA}.deliveries WHERE subscription_id = $1`, [
          rows[0].id,
        ]);
      return rows.length > 0;
    });
  }

  /** The subscription as delivery needs it — fresh, with its secrets — or null once it is deleted. */
  async forDelivery(id: string): Promise<(WebhookSubscription & { secrets: string[] }) | null> {
    await this.ensure();
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${WEBHOOKS_SCHEMA}.subscriptions WHERE subscription_id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows[0] ? { ...toSubscription(rows[0]), secrets: this.secretsOf(rows[0]) } : null;
  }

  /**
   * Moves the delivery cursor from `expected` to `cursor`: its checkpoint, as a read model's is
   * kept with its rows. False (and nothing written) when the cursor is no longer at `expected` —
   * another worker delivered meanwhile — or the subscription is deleted or disabled (a disabled
   * subscription's cursor stays where it stood, so nothing more is queued for it).
   */
  async saveCursor(
    id: string,
    expected: string | null,
    cursor: string,
    client: Pick<pg.ClientBase, 'query'> = this.pool,
  ): Promise<boolean> {
    const { rowCount } = await client.query(
      `UPDATE ${WEBHOOKS_SCHEMA}.subscriptions SET cursor = $3
        WHERE subscription_id = $1 AND deleted_at IS NULL AND state <> 'disabled'
          AND cursor IS NOT DISTINCT FROM $2`,
      [id, expected, cursor],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Records that an event exhausted its attempts. Of `event` (the CloudEvent that was being
   * delivered) only its ids and position are kept — `id`, `subject`, `sequence` — never its body:
   * a redelivery rebuilds it from the log.
   */
  async recordDeadLetter(
    id: string,
    event: { readonly id: string; readonly subject: string; readonly sequence: string },
    attempts: number,
    error: string,
    client: Pick<pg.ClientBase, 'query'> = this.pool,
  ): Promise<void> {
    await client.query(
      `INSERT INTO ${WEBHOOKS_SCHEMA}.dead_letters (subscription_id, event_id, subject, position, attempts, last_error)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subscription_id, event_id) DO UPDATE
         SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error, recorded_at = now()`,
      [id, event.id, storableText(event.subject), event.sequence, attempts, storableText(error)],
    );
  }

  async deadLetters(id: string): Promise<DeadLetter[]> {
    await this.ensure();
    const { rows } = await this.pool.query<DeadLetterRow>(
      `SELECT * FROM ${WEBHOOKS_SCHEMA}.dead_letters WHERE subscription_id::text = $1 ORDER BY recorded_at, event_id`,
      [id],
    );
    return rows.map(toDeadLetter);
  }
}

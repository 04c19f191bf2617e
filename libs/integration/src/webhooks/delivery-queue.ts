import { withTransaction } from '@cadre/platform/database';
import { ADVISORY_LOCKS, storableText } from '@cadre/kernel';
import type pg from 'pg';
import {
  afterAttempt,
  type AttemptOutcome,
  type EndpointHealth,
  type EndpointHealthOptions,
  type EndpointState,
} from './endpoint-health.js';
import { WEBHOOKS_SCHEMA, type WebhookSubscriptions } from './webhook-subscriptions.js';

/** An event a subscription wants, as it is queued: ids and positions, never its body. */
export interface QueuedEvent {
  readonly eventId: string;
  readonly position: string;
  readonly stream: string;
  readonly revision: number;
  /** The CloudEvents `subject` (a staff member's surrogate id): the unit of order. */
  readonly subject: string;
  /** When the event was recorded (the lag's age). */
  readonly recordedAt: string;
}

/** A queued event claimed by a deliverer: `seq` is its place in the subscription's log order. */
export interface ClaimedEvent extends QueuedEvent {
  readonly seq: string;
  /** Set when it is sent again on request (`replay`): the Cadre-Redelivery header. */
  readonly redelivery: string | null;
  /** Attempts already made. */
  readonly attempts: number;
}

export interface Claim {
  readonly claimed: readonly ClaimedEvent[];
  /**
   * Whether the deliveries passed to the claim as delivered were recorded (out of the queue) in
   * its transaction: false when the receiver's health may change with them (not active, failures
   * in a row, a hold) — each must then be recorded with {@link DeliveryQueue.record}.
   */
  readonly acknowledged: boolean;
  /** When the next waiting (not yet due) head falls due; null when none waits. */
  readonly nextDueAt: Date | null;
  /** False when the subscription is deleted. */
  readonly exists: boolean;
}

interface HeadRow {
  seq: string;
  claimed_by: string | null;
  busy: boolean;
  next_attempt_at: Date;
  due: boolean;
}

interface ClaimedRow {
  seq: string;
  event_id: string;
  position: string;
  stream: string;
  revision: number;
  subject: string;
  recorded_at: Date;
  attempts: number;
  redelivery: string | null;
}

interface HealthRow {
  state: EndpointState;
  consecutive_failures: number;
  failing_since: Date | null;
  probes: number;
  hold_until: Date | null;
  state_reason: string | null;
}

/** What recording an attempt did. */
export interface Recorded {
  readonly health: EndpointHealth;
  readonly previous: EndpointState;
  readonly deadLettered: boolean;
}

const T = `${WEBHOOKS_SCHEMA}.deliveries`;

/**
 * The durable per-subscription delivery queue (decision 0025). The subscription's runner enqueues
 * the events it wants with its cursor, in one transaction; deliverers claim the head of each
 * subject — its oldest undelivered event, when none of that subject is in flight — up to the
 * subscription's `maxInFlight` across all workers. A claim belongs to a deliverer's lease (a
 * session advisory lock of `SharedConnectionLeases`): it lapses the moment that lease's
 * connection is gone, and another worker's deliverer claims the event again.
 */
export class DeliveryQueue {
  private readonly pool: pg.Pool;

  constructor(private readonly subscriptions: WebhookSubscriptions) {
    this.pool = subscriptions.pool;
  }

  /**
   * Queues `events` (in log order) and moves the cursor from `expected` to `cursor`, together;
   * false (nothing written) when the cursor is no longer at `expected` or the subscription is gone.
   */
  async enqueue(
    id: string,
    expected: string | null,
    cursor: string,
    events: readonly QueuedEvent[],
  ): Promise<boolean> {
    await this.subscriptions.ensure();
    return withTransaction(this.pool, async (client) => {
      if (!(await this.subscriptions.saveCursor(id, expected, cursor, client))) return false;
      await this.insert(client, id, events, null);
      return true;
    });
  }

  /**
   * Queues `events` (in log order) to be sent again (`Cadre-Redelivery: replay`), after what is
   * queued already; the cursor stays. False when the subscription is gone.
   */
  async enqueueReplay(id: string, events: readonly QueuedEvent[]): Promise<boolean> {
    await this.subscriptions.ensure();
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query(
        `SELECT 1 FROM ${WEBHOOKS_SCHEMA}.subscriptions WHERE subscription_id = $1 AND deleted_at IS NULL FOR UPDATE`,
        [id],
      );
      if (rows.length === 0) return false;
      await this.insert(client, id, events, 'replay');
      return true;
    });
  }

  private async insert(
    client: Pick<pg.ClientBase, 'query'>,
    id: string,
    events: readonly QueuedEvent[],
    redelivery: string | null,
  ): Promise<void> {
    if (events.length === 0) return;
    await client.query(
      `INSERT INTO ${T} (subscription_id, event_id, position, stream, revision, subject, recorded_at, redelivery)
       SELECT $1, e.event_id, e.position, e.stream, e.revision, e.subject, e.recorded_at, $8
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::timestamptz[])
              WITH ORDINALITY AS e(event_id, position, stream, revision, subject, recorded_at, n)
        ORDER BY e.n`,
      [
        id,
        events.map((e) => e.eventId),
        events.map((e) => e.position),
        events.map((e) => e.stream),
        events.map((e) => e.revision),
        events.map((e) => e.subject),
        events.map((e) => e.recordedAt),
        redelivery,
      ],
    );
  }

  /**
   * Claims for `owner` (a lease name) the due heads of their subjects, oldest first, as many as
   * the subscription's `maxInFlight` leaves free. A head claimed by a lease no longer held, or by
   * `owner` itself but not in `inFlight` (its outcome was never recorded), is free again. Claims
   * of one subscription are serialized on its row, so `maxInFlight` holds across workers. With
   * `maxInFlight` 1 only the subscription's oldest queued event is ever claimed: total order.
   */
  async claim(
    id: string,
    owner: string,
    inFlight: readonly string[],
    /** Events of `owner` the receiver took (2xx) since the last claim: recorded here, if healthy. */
    delivered: readonly string[] = [],
    /** False: only record `delivered`, claim nothing (a deliverer stopping). */
    claimNew = true,
  ): Promise<Claim> {
    await this.subscriptions.ensure();
    return withTransaction(this.pool, async (client) => {
      const { rows: found } = await client.query<{
        max_in_flight: number;
        state: EndpointState;
        hold_until: Date | null;
        healthy: boolean;
      }>(
        `SELECT max_in_flight, state, hold_until,
                state = 'active' AND consecutive_failures = 0 AND hold_until IS NULL AS healthy
           FROM ${WEBHOOKS_SCHEMA}.subscriptions
          WHERE subscription_id = $1 AND deleted_at IS NULL FOR UPDATE`,
        [id],
      );
      const subscription = found[0];
      if (!subscription) return { claimed: [], acknowledged: true, nextDueAt: null, exists: false };
      // Deliveries to a healthy receiver change nothing of its health: they leave the queue here,
      // in one statement for all of them (not a round trip each); their subjects' next events
      // are heads for the claim below.
      const acknowledged = delivered.length === 0 || subscription.healthy;
      if (delivered.length > 0 && subscription.healthy) {
        await client.query(
          `WITH gone AS (
             DELETE FROM ${T} WHERE subscription_id = $1 AND seq = ANY($2::bigint[]) AND claimed_by = $3
           )
           -- last_success_at to the second: not a write per claim.
           UPDATE ${WEBHOOKS_SCHEMA}.subscriptions SET last_success_at = now()
            WHERE subscription_id = $1 AND (last_success_at IS NULL OR last_success_at < now() - interval '1 second')`,
          [id, delivered, owner],
        );
      }
      const none = { claimed: [], acknowledged, nextDueAt: null, exists: true };
      if (!claimNew || subscription.state === 'paused' || subscription.state === 'disabled') return none;
      if (subscription.hold_until && subscription.hold_until.getTime() > Date.now())
        return { ...none, nextDueAt: subscription.hold_until };
      const { rows: heads } = await client.query<HeadRow>(
        `WITH RECURSIVE live AS (
           SELECT objid FROM pg_locks
            WHERE locktype = 'advisory' AND classid = $2::int::oid AND objsubid = 2 AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         ), subjects AS (
           -- The subjects queued, one index probe each on (subscription_id, subject, seq) (a
           -- loose index scan): the cost follows the number of subjects, not of queued events.
           (SELECT subject FROM ${T} WHERE subscription_id = $1 ORDER BY subject LIMIT 1)
           UNION ALL
           SELECT (SELECT d.subject FROM ${T} d WHERE d.subscription_id = $1 AND d.subject > s.subject
                    ORDER BY d.subject LIMIT 1)
             FROM subjects s WHERE s.subject IS NOT NULL
         ), heads AS (
           SELECT h.seq, h.claimed_by, h.next_attempt_at FROM subjects s
            CROSS JOIN LATERAL (
              SELECT seq, claimed_by, next_attempt_at FROM ${T}
               WHERE subscription_id = $1 AND subject = s.subject ORDER BY seq LIMIT 1) h
            WHERE s.subject IS NOT NULL
         )
         SELECT seq::text, claimed_by, next_attempt_at, next_attempt_at <= now() AS due,
                CASE WHEN claimed_by IS NULL THEN false
                     WHEN claimed_by = $3 THEN seq = ANY($4::bigint[])
                     -- Another's claim: alive while its lease is held (pg_locks read only then).
                     ELSE hashtext(claimed_by)::oid IN (SELECT objid FROM live) END AS busy
           FROM heads`,
        [id, ADVISORY_LOCKS.leaseClass, owner, inFlight],
      );
      heads.sort((a, b) => Number(a.seq) - Number(b.seq));
      // maxInFlight 1 is the subscription's total order: only its oldest event may go, even
      // while it waits for a retry (what subscriptions were promised before per-subject order).
      // A failing receiver gets one probe at a time: the oldest head, due or not (no event's
      // schedule runs meanwhile).
      const failing = subscription.state === 'failing';
      const strict = subscription.max_in_flight === 1;
      const considered = strict ? heads.slice(0, 1) : heads;
      const busy = considered.filter((h) => h.busy).length;
      const free = considered.filter((h) => !h.busy);
      const waiting = free.filter((h) => !h.due).map((h) => h.next_attempt_at.getTime());
      const nextDueAt = waiting.length > 0 && !failing ? new Date(Math.min(...waiting)) : null;
      const take = free
        .filter((h) => h.due || failing)
        .slice(0, Math.max(0, (failing ? 1 : subscription.max_in_flight) - busy))
        .map((h) => h.seq);
      if (take.length === 0) return { claimed: [], acknowledged, nextDueAt, exists: true };
      const { rows } = await client.query<ClaimedRow>(
        `UPDATE ${T} SET claimed_by = $3 WHERE subscription_id = $1 AND seq = ANY($2::bigint[])
         RETURNING seq::text, event_id, position, stream, revision, subject, recorded_at, attempts, redelivery`,
        [id, take, owner],
      );
      const claimed = rows
        .map((r) => ({
          seq: r.seq,
          eventId: r.event_id,
          position: r.position,
          stream: r.stream,
          revision: r.revision,
          subject: r.subject,
          recordedAt: r.recorded_at.toISOString(),
          attempts: r.attempts,
          redelivery: r.redelivery,
        }))
        .sort((a, b) => Number(a.seq) - Number(b.seq));
      return { claimed, acknowledged, nextDueAt, exists: true };
    });
  }

  /** Delivered: the event leaves the queue (the queue holds only what is still to deliver). */
  async delivered(id: string, seq: string, owner: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${T} WHERE subscription_id = $1 AND seq = $2 AND claimed_by = $3`, [
      id,
      seq,
      owner,
    ]);
  }

  /**
   * Records an attempt, in one transaction with the receiver's health ({@link afterAttempt}):
   * delivered, the event leaves the queue; failed and counted against its schedule, it is due
   * again after `retryDelay(attempts)` — or, that being null, goes to the dead letters and its
   * subject moves on; failed and not counted (a probe, a 410, a Retry-After), it keeps its attempts
   * and is due when the receiver's hold ends.
   */
  async record(
    id: string,
    event: ClaimedEvent,
    owner: string,
    outcome: AttemptOutcome,
    error: string | null,
    policy: {
      readonly health?: EndpointHealthOptions;
      readonly retryDelay: (attempts: number) => number | null;
    },
  ): Promise<Recorded | null> {
    if (outcome.delivered) {
      const healthy = await this.deliveredToHealthy(id, event.seq, owner);
      if (healthy) return healthy;
    }
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<HealthRow>(
        `SELECT state, consecutive_failures, failing_since, probes, hold_until, state_reason
           FROM ${WEBHOOKS_SCHEMA}.subscriptions WHERE subscription_id = $1 AND deleted_at IS NULL FOR UPDATE`,
        [id],
      );
      const row = rows[0];
      if (!row) return null;
      const now = new Date();
      const { health, counts } = afterAttempt(
        {
          state: row.state,
          consecutiveFailures: row.consecutive_failures,
          failingSince: row.failing_since,
          probes: row.probes,
          holdUntil: row.hold_until,
          reason: row.state_reason,
        },
        outcome,
        now,
        policy.health,
      );
      await client.query(
        `UPDATE ${WEBHOOKS_SCHEMA}.subscriptions
            SET state = $2, consecutive_failures = $3, failing_since = $4, probes = $5, hold_until = $6,
                state_reason = $7,
                last_success_at = CASE WHEN $8 THEN now() ELSE last_success_at END,
                last_failure_at = CASE WHEN $8 THEN last_failure_at ELSE now() END
          WHERE subscription_id = $1`,
        [
          id,
          health.state,
          health.consecutiveFailures,
          health.failingSince,
          health.probes,
          health.holdUntil,
          health.reason,
          outcome.delivered,
        ],
      );
      const mine = [id, event.seq, owner];
      if (row.state === 'failing' && health.state === 'active') {
        // The receiver is back: what waited for it goes now, where it stood.
        await client.query(`UPDATE ${T} SET next_attempt_at = now() WHERE subscription_id = $1`, [id]);
      }
      if (outcome.delivered) {
        await client.query(
          `DELETE FROM ${T} WHERE subscription_id = $1 AND seq = $2 AND claimed_by = $3`,
          mine,
        );
        return { health, previous: row.state, deadLettered: false };
      }
      const attempts = counts ? event.attempts + 1 : event.attempts;
      const delay = counts ? policy.retryDelay(attempts) : 0;
      if (delay === null) {
        const { rowCount } = await client.query(
          `DELETE FROM ${T} WHERE subscription_id = $1 AND seq = $2 AND claimed_by = $3`,
          mine,
        );
        if ((rowCount ?? 0) > 0)
          await this.subscriptions.recordDeadLetter(
            id,
            { id: event.eventId, subject: event.subject, sequence: event.position },
            attempts,
            error ?? '',
            client,
          );
        return { health, previous: row.state, deadLettered: (rowCount ?? 0) > 0 };
      }
      await client.query(
        `UPDATE ${T} SET claimed_by = NULL, attempts = $4, last_error = $6,
                next_attempt_at = greatest(now() + ($5::bigint * interval '1 millisecond'), $7::timestamptz)
          WHERE subscription_id = $1 AND seq = $2 AND claimed_by = $3`,
        [...mine, attempts, Math.round(delay), storableText(error ?? ''), health.holdUntil ?? now],
      );
      return { health, previous: row.state, deadLettered: false };
    });
  }

  /**
   * A delivery to a receiver that is healthy already (active, no failure in a row, no hold) changes
   * nothing of its health: one statement, without locking the subscription's row (the path of
   * nearly every delivery). Null when its health may change: the full path then records it.
   */
  private async deliveredToHealthy(id: string, seq: string, owner: string): Promise<Recorded | null> {
    const { rows } = await this.pool.query<{ state: EndpointState | null }>(
      `WITH healthy AS (
         SELECT state FROM ${WEBHOOKS_SCHEMA}.subscriptions
          WHERE subscription_id = $1 AND deleted_at IS NULL AND state = 'active'
            AND consecutive_failures = 0 AND hold_until IS NULL
       ), gone AS (
         DELETE FROM ${T} WHERE subscription_id = $1 AND seq = $2 AND claimed_by = $3
            AND EXISTS (SELECT 1 FROM healthy)
       ), seen AS (
         -- last_success_at to the second: not a write per delivery.
         UPDATE ${WEBHOOKS_SCHEMA}.subscriptions SET last_success_at = now()
          WHERE subscription_id = $1 AND EXISTS (SELECT 1 FROM healthy)
            AND (last_success_at IS NULL OR last_success_at < now() - interval '1 second')
       )
       SELECT state FROM healthy`,
      [id, seq, owner],
    );
    if (!rows[0]) return null;
    const health: EndpointHealth = {
      state: 'active',
      consecutiveFailures: 0,
      failingSince: null,
      probes: 0,
      holdUntil: null,
      reason: null,
    };
    return { health, previous: 'active', deadLettered: false };
  }

  /** Events queued and not yet delivered (the subscription's lag in events past its cursor). */
  async pending(id: string): Promise<number> {
    await this.subscriptions.ensure();
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${T} WHERE subscription_id = $1`,
      [id],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

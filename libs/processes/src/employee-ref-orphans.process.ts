import {
  ORPHANED_RESERVATION_REASON,
  employeeRefDecider,
  staffStream,
  type EmployeeRefContext,
  type EmployeeRefReserved,
  type ReleaseOrphanedEmployeeRef,
} from '@cadre/domain';
import { handleCommand } from '@cadre/command-handling';
import type { RecordedEvent } from '@cadre/event-store';
import type pg from 'pg';
import type { LeaseProvider, Projection, ProjectionTransaction } from '@cadre/subscriptions';
import {
  PROCESSES_DDL_LOCK,
  PROCESSES_SCHEMA,
  REFUSALS_SQL,
  processActor,
  sendCommand,
  type ProcessDependencies,
} from './process-support.js';

export const EMPLOYEE_REF_ORPHANS = 'process-employee-ref-orphans';

/** The sweep's lease: one worker at a time releases orphans. */
export const ORPHAN_SWEEP_LEASE = 'employee-ref-orphans-sweep';

/**
 * One row per reservation stream (`employee-ref-<jurisdiction>-<blind index>`): who holds it since
 * when, and whether the holder's staff stream has been seen (`held`), not yet (`pending`), or the
 * reservation was released (`released`, with the release's reason). Beside it, the members whose
 * staff stream exists, so that a reservation of a registered member (a transfer) is never pending.
 * Neither holds personal data: the reference is only in the stream name, as its keyed hash.
 */
export const orphansTableSql = (schema: string): string => `
CREATE TABLE IF NOT EXISTS ${schema}.employee_ref_reservations (
  stream         text PRIMARY KEY,
  jurisdiction   text NOT NULL,
  ref_key        text NOT NULL,
  staff_id       text NOT NULL,
  reserved_at    timestamptz NOT NULL,
  cause_event_id uuid NOT NULL,
  correlation_id text NOT NULL,
  status         text NOT NULL,
  reason         text
);
CREATE INDEX IF NOT EXISTS employee_ref_reservations_pending
  ON ${schema}.employee_ref_reservations (reserved_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS employee_ref_reservations_by_staff
  ON ${schema}.employee_ref_reservations (staff_id);
CREATE TABLE IF NOT EXISTS ${schema}.registered_staff (
  staff_id text PRIMARY KEY
);`;

type Claim = EmployeeRefReserved['data'];

/**
 * The durable half of the employeeRef compensation (decision 0020): a projection of the log that
 * knows every reservation still waiting for its staff stream. The sweep
 * ({@link OrphanedReservationSweeper}, {@link sweepOrphanedReservations}) releases those older
 * than the grace period; the state is this table, so a restart forgets nothing.
 *
 * A registration that completes after its reservation was released as an orphan (a request that
 * outlived the grace period) gets its reservation back when its `StaffMemberRegistered` is seen,
 * caused by that event: reserved again for the member, or a refusal recorded (and logged) if
 * another member took the reference in between.
 */
export function employeeRefOrphansProcess(deps: ProcessDependencies): Projection {
  return {
    name: EMPLOYEE_REF_ORPHANS,
    version: 1,
    handles: ['EmployeeRefReserved', 'EmployeeRefReleased', 'StaffMemberRegistered'],
    tables: ['employee_ref_reservations', 'registered_staff'],
    schema: PROCESSES_SCHEMA,
    createTables: async (tx, schema) => {
      await tx.query(PROCESSES_DDL_LOCK);
      await tx.query(REFUSALS_SQL(schema));
      await tx.query(orphansTableSql(schema));
    },
    apply: async (events, tx) => {
      const reservations = `${tx.schema}.employee_ref_reservations`;
      const registered = `${tx.schema}.registered_staff`;
      for (const event of events) {
        if (event.type === 'EmployeeRefReserved') {
          const { jurisdiction, refKey, staffId } = event.data as Claim;
          await tx.query(
            `INSERT INTO ${reservations}
               (stream, jurisdiction, ref_key, staff_id, reserved_at, cause_event_id, correlation_id, status, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7,
                     CASE WHEN EXISTS (SELECT 1 FROM ${registered} WHERE staff_id = $4) THEN 'held' ELSE 'pending' END,
                     NULL)
             ON CONFLICT (stream) DO UPDATE SET jurisdiction = EXCLUDED.jurisdiction, ref_key = EXCLUDED.ref_key,
               staff_id = EXCLUDED.staff_id, reserved_at = EXCLUDED.reserved_at,
               cause_event_id = EXCLUDED.cause_event_id, correlation_id = EXCLUDED.correlation_id,
               status = EXCLUDED.status, reason = NULL`,
            [
              event.stream,
              jurisdiction,
              refKey,
              staffId,
              event.metadata.occurredAt,
              event.eventId,
              event.metadata.correlationId ?? event.eventId,
            ],
          );
        } else if (event.type === 'EmployeeRefReleased') {
          await tx.query(
            `UPDATE ${reservations} SET status = 'released', reason = $3 WHERE stream = $1 AND staff_id = $2`,
            [event.stream, (event.data as Claim).staffId, event.metadata.reason ?? null],
          );
        } else if (event.type === 'StaffMemberRegistered') {
          await registeredLate(deps, event, tx, reservations, registered);
        }
      }
    },
  };
}

/** The member's stream exists: their reservations are held; one released as an orphan is taken back. */
async function registeredLate(
  deps: ProcessDependencies,
  event: RecordedEvent,
  tx: ProjectionTransaction,
  reservations: string,
  registered: string,
): Promise<void> {
  const { staffId } = event.data as { staffId: string };
  await tx.query(`INSERT INTO ${registered} (staff_id) VALUES ($1) ON CONFLICT DO NOTHING`, [staffId]);
  const rows = await tx.query<{ stream: string; jurisdiction: string; ref_key: string; was: string }>(
    `WITH claimed AS (
       SELECT stream, status FROM ${reservations}
        WHERE staff_id = $1 AND (status = 'pending' OR (status = 'released' AND reason = $2))
        FOR UPDATE
     )
     UPDATE ${reservations} r SET status = 'held', reason = NULL FROM claimed
      WHERE r.stream = claimed.stream
      RETURNING r.stream, r.jurisdiction, r.ref_key, claimed.status AS was`,
    [staffId, ORPHANED_RESERVATION_REASON],
  );
  for (const row of rows) {
    if (row.was !== 'released') continue;
    deps.log?.(
      'warn',
      'a registration completed after its employeeRef reservation was released as an orphan; reserving it again',
      {
        staffId,
        jurisdiction: row.jurisdiction,
      },
    );
    await sendCommand(
      deps,
      EMPLOYEE_REF_ORPHANS,
      event,
      {
        stream: row.stream,
        decider: employeeRefDecider,
        command: {
          type: 'ReserveEmployeeRef',
          data: { jurisdiction: row.jurisdiction, refKey: row.ref_key, staffId },
        },
      },
      tx,
    );
  }
}

/** A reservation the sweep looked at; never the reference itself (personal data). */
export interface OrphanedReservation {
  readonly jurisdiction: string;
  /** The surrogate id the registration drew (its staff stream does not exist). */
  readonly staffId: string;
  readonly reservedAt: string;
  readonly ageSeconds: number;
  /**
   * `released` (or `orphan` in a report: it would be), `registered` (the staff stream exists
   * after all: never released), `gone` (the reservation is no longer the member's, or not yet past
   * the grace period by the stream's own record).
   */
  readonly outcome: 'released' | 'orphan' | 'registered' | 'gone';
}

export interface SweepOptions {
  readonly graceSeconds: number;
  /** Release the orphans (else only report them: the decision is taken, nothing is appended). */
  readonly release: boolean;
  readonly limit?: number;
}

/**
 * The one sweep, for the worker and for `cadre reservations:orphans [--release]`: every reservation
 * still pending in the process's table and older than the grace period is decided again by the
 * domain (`ReleaseOrphanedEmployeeRef`) on its stream as it is now, with whether the holder's
 * staff stream exists read from the store just before. The append expects the revision read, so a
 * reservation that changed meanwhile is decided again. Only the event store port is used for the
 * streams; the table is only the list of candidates.
 */
export async function sweepOrphanedReservations(
  deps: ProcessDependencies,
  db: Pick<pg.Pool, 'query'>,
  options: SweepOptions,
): Promise<OrphanedReservation[]> {
  const now = deps.now();
  const { rows } = await db
    .query<PendingRow>(
      `SELECT stream, jurisdiction, ref_key, staff_id, reserved_at, cause_event_id, correlation_id
         FROM ${PROCESSES_SCHEMA}.employee_ref_reservations
        WHERE status = 'pending' AND reserved_at <= $1
        ORDER BY reserved_at, stream
        LIMIT $2`,
      [new Date(now.getTime() - options.graceSeconds * 1000), options.limit ?? 1000],
    )
    .catch((error: { code?: string }) => {
      // The process has not made its table yet: nothing is known to be pending.
      if (error.code === '42P01' || error.code === '3F000') return { rows: [] as PendingRow[] };
      throw error;
    });
  const swept: OrphanedReservation[] = [];
  for (const row of rows) swept.push(await sweepOne(deps, row, options));
  return swept;
}

type PendingRow = {
  readonly stream: string;
  readonly jurisdiction: string;
  readonly ref_key: string;
  readonly staff_id: string;
  readonly reserved_at: Date;
  readonly cause_event_id: string;
  readonly correlation_id: string;
};

async function sweepOne(
  deps: ProcessDependencies,
  row: PendingRow,
  options: SweepOptions,
): Promise<OrphanedReservation> {
  let holderRegistered = false;
  const command: ReleaseOrphanedEmployeeRef = {
    type: 'ReleaseOrphanedEmployeeRef',
    data: { jurisdiction: row.jurisdiction, refKey: row.ref_key, staffId: row.staff_id },
  };
  const result = await handleCommand(
    deps.store,
    {
      stream: row.stream,
      decider: employeeRefDecider,
      command,
      context: async (_state, base): Promise<EmployeeRefContext> => {
        holderRegistered = (await deps.store.readStream(staffStream(row.staff_id))).length > 0;
        return { ...base, holderRegistered, graceSeconds: options.graceSeconds };
      },
    },
    {
      actor: processActor(EMPLOYEE_REF_ORPHANS),
      correlationId: row.correlation_id,
      causationId: row.cause_event_id,
      now: deps.now,
      dryRun: !options.release,
    },
  );
  const decided = result.events.length > 0;
  const outcome = decided
    ? options.release
      ? 'released'
      : 'orphan'
    : holderRegistered
      ? 'registered'
      : 'gone';
  if (decided && options.release) {
    deps.log?.('info', `employeeRef reservation released: ${ORPHANED_RESERVATION_REASON}`, {
      staffId: row.staff_id,
      jurisdiction: row.jurisdiction,
    });
  }
  return {
    jurisdiction: row.jurisdiction,
    staffId: row.staff_id,
    reservedAt: row.reserved_at.toISOString(),
    ageSeconds: Math.floor((deps.now().getTime() - row.reserved_at.getTime()) / 1000),
    outcome,
  };
}

/** The worker's sweep: under its lease, so that one worker at a time releases. */
export class OrphanedReservationSweeper {
  constructor(
    private readonly db: Pick<pg.Pool, 'query'>,
    private readonly leases: LeaseProvider,
    private readonly deps: ProcessDependencies,
    private readonly graceSeconds: number,
  ) {}

  /** Releases the orphans past the grace period; nothing when another worker holds the lease. */
  async sweep(): Promise<readonly OrphanedReservation[]> {
    const lease = await this.leases.tryAcquire(ORPHAN_SWEEP_LEASE);
    if (!lease) return [];
    try {
      return await sweepOrphanedReservations(this.deps, this.db, {
        graceSeconds: this.graceSeconds,
        release: true,
      });
    } finally {
      await lease.release();
    }
  }
}

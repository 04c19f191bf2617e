import pg from 'pg';
import { staffDecider, staffStream, EXPIRY_WARNING_DAYS, type StaffCommand } from '@cadre/domain';
import type { RecordedEvent } from '@cadre/event-store';
import type { Projection } from '../projection.js';
import {
  PROCESSES_DDL_LOCK,
  PROCESSES_SCHEMA,
  REFUSALS_SQL,
  sendCommand,
  type ProcessDependencies,
} from './process-support.js';

export const CERTIFICATION_SCHEDULE = 'process-certification-schedule';
/** Advisory-lock key of the tick: one worker at a time sends due commands. */
const TICK_LOCK = [4_711_003, 1] as const;
const DAY_MS = 86_400_000;

export type ScheduleKind = 'window' | 'warning' | 'expiry';

const COMMAND_OF: Record<ScheduleKind, StaffCommand['type']> = {
  window: 'OpenRecertificationWindow',
  warning: 'WarnCertificationExpiry',
  expiry: 'ExpireCertification',
};
const KIND_OF_NOTICE: Record<string, ScheduleKind> = {
  RecertificationWindowOpened: 'window',
  CertificationExpiryWarned: 'warning',
  CertificationExpired: 'expiry',
};
const KIND_ORDER = `CASE kind WHEN 'window' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END`;

export const scheduleTableSql = (schema: string): string => `
CREATE TABLE IF NOT EXISTS ${schema}.certification_schedule (
  certification_id text NOT NULL,
  kind             text NOT NULL,
  staff_id         text NOT NULL,
  due_at           timestamptz NOT NULL,
  valid_until      timestamptz NOT NULL,
  cause_event_id   uuid NOT NULL,
  correlation_id   text NOT NULL,
  done             boolean NOT NULL DEFAULT false,
  PRIMARY KEY (certification_id, kind)
);
CREATE INDEX IF NOT EXISTS certification_schedule_due ON ${schema}.certification_schedule (due_at) WHERE NOT done;`;

interface ValidityData {
  staffId: string;
  certificationId: string;
  validUntil: string;
  windowOpensAt: string;
}

/**
 * The scheduler's table of due times, one row per certification and notice (window opens, expiry
 * warned 30 days before, expiry), fed by the log: an award or a renewal (re)schedules the three;
 * a recorded notice marks its row done; a revocation, or the voiding of the award, unschedules.
 * The tick ({@link CertificationScheduleTicker}) sends what is due.
 */
export function certificationScheduleProjection(): Projection {
  return {
    name: CERTIFICATION_SCHEDULE,
    version: 1,
    handles: [
      'CertificationAwarded',
      'CertificationRenewed',
      'RecertificationWindowOpened',
      'CertificationExpiryWarned',
      'CertificationExpired',
      'CertificationRevoked',
      'RecordVoided',
    ],
    tables: ['certification_schedule'],
    schema: PROCESSES_SCHEMA,
    createTables: async (tx, schema) => {
      await tx.query(PROCESSES_DDL_LOCK);
      await tx.query(REFUSALS_SQL(schema));
      await tx.query(scheduleTableSql(schema));
    },
    apply: async (events, tx) => {
      const table = `${tx.schema}.certification_schedule`;
      for (const event of events as readonly RecordedEvent<string, Record<string, string>>[]) {
        const data = event.data;
        switch (event.type) {
          case 'CertificationAwarded':
          case 'CertificationRenewed': {
            const { staffId, certificationId, validUntil, windowOpensAt } = data as unknown as ValidityData;
            const warning = new Date(Date.parse(validUntil) - EXPIRY_WARNING_DAYS * DAY_MS).toISOString();
            for (const [kind, dueAt] of [
              ['window', windowOpensAt],
              ['warning', warning],
              ['expiry', validUntil],
            ] as const) {
              await tx.query(
                `INSERT INTO ${table} (certification_id, kind, staff_id, due_at, valid_until, cause_event_id, correlation_id, done)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, false)
                 ON CONFLICT (certification_id, kind) DO UPDATE SET due_at = $4, valid_until = $5,
                   cause_event_id = $6, correlation_id = $7, done = false`,
                [
                  certificationId,
                  kind,
                  staffId,
                  dueAt,
                  validUntil,
                  event.eventId,
                  event.metadata.correlationId,
                ],
              );
            }
            break;
          }
          case 'CertificationRevoked':
            await tx.query(`DELETE FROM ${table} WHERE certification_id = $1`, [data.certificationId]);
            break;
          case 'RecordVoided':
            await tx.query(`DELETE FROM ${table} WHERE cause_event_id::text = $1`, [data.targetEventId]);
            break;
          default:
            await tx.query(
              `UPDATE ${table} SET done = true WHERE certification_id = $1 AND kind = $2 AND valid_until = $3`,
              [data.certificationId, KIND_OF_NOTICE[event.type], data.validUntil],
            );
        }
      }
    },
  };
}

export interface TickResult {
  /** Due rows handled (a command sent, answered with an event, nothing, or a refusal). */
  readonly handled: number;
}

/**
 * Sends the due notices, oldest due first (a worker that was off for a week catches up in order),
 * under an advisory lock so that one worker at a time does. A row is marked done once its command
 * answered: the staff decider records each notice once per validity period, so a crash between
 * the command and the mark re-sends a command that records nothing.
 */
export class CertificationScheduleTicker {
  constructor(
    private readonly pool: pg.Pool,
    private readonly deps: ProcessDependencies,
    private readonly batchSize = 200,
  ) {}

  async tick(): Promise<TickResult> {
    let handled = 0;
    for (;;) {
      const done = await this.tickBatch();
      if (done === null) return { handled };
      handled += done;
      if (done < this.batchSize) return { handled };
    }
  }

  /** Null when another worker holds the tick. */
  private async tickBatch(): Promise<number | null> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const { rows: lock } = await client.query<{ got: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1, $2) AS got',
        [...TICK_LOCK],
      );
      if (!lock[0]?.got) {
        await client.query('ROLLBACK');
        return null;
      }
      await client.query(PROCESSES_DDL_LOCK);
      await client.query(REFUSALS_SQL(PROCESSES_SCHEMA));
      await client.query(scheduleTableSql(PROCESSES_SCHEMA));
      const now = this.deps.now();
      const { rows } = await client.query<{
        certification_id: string;
        kind: ScheduleKind;
        staff_id: string;
        cause_event_id: string;
        correlation_id: string;
      }>(
        `SELECT certification_id, kind, staff_id, cause_event_id, correlation_id
           FROM ${PROCESSES_SCHEMA}.certification_schedule
          WHERE NOT done AND due_at <= $1
          ORDER BY due_at, ${KIND_ORDER}, certification_id
          LIMIT $2`,
        [now, this.batchSize],
      );
      const tx = {
        query: async (sql: string, params?: readonly unknown[]) =>
          (await client.query(sql, params as unknown[])).rows,
      };
      for (const row of rows) {
        const type = COMMAND_OF[row.kind] as 'OpenRecertificationWindow';
        await sendCommand(
          this.deps,
          CERTIFICATION_SCHEDULE,
          {
            eventId: row.cause_event_id,
            metadata: { correlationId: row.correlation_id } as RecordedEvent['metadata'],
          },
          {
            stream: staffStream(row.staff_id),
            decider: staffDecider,
            command: { type, data: { staffId: row.staff_id, certificationId: row.certification_id } },
          },
          tx,
        );
        await client.query(
          `UPDATE ${PROCESSES_SCHEMA}.certification_schedule SET done = true WHERE certification_id = $1 AND kind = $2`,
          [row.certification_id, row.kind],
        );
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

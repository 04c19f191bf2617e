import { withTransaction } from '@cadre/platform/database';
import { ADVISORY_LOCKS } from '@cadre/kernel';
import type pg from 'pg';
import {
  jurisdictionDecider,
  jurisdictionStream,
  staffDecider,
  staffStream,
  EXPIRY_WARNING_DAYS,
  type StaffCommand,
} from '@cadre/domain';
import type { RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import {
  PROCESSES_DDL_LOCK,
  PROCESSES_SCHEMA,
  REFUSALS_SQL,
  sendCommand,
  type ProcessDependencies,
} from './process-support.js';

export const CERTIFICATION_SCHEDULE = 'process-certification-schedule';
/** Advisory-lock key of the tick: one worker at a time sends due commands. */
const TICK_LOCK = ADVISORY_LOCKS.scheduleTick;
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ScheduleKind = 'window' | 'warning' | 'expiry';
/** A due row: a certification's notice, or a jurisdiction rule taking effect (`rule`). */
type DueKind = ScheduleKind | 'rule';

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
const KIND_ORDER = `CASE kind WHEN 'window' THEN 0 WHEN 'warning' THEN 1 WHEN 'expiry' THEN 2 ELSE 3 END`;

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
CREATE INDEX IF NOT EXISTS certification_schedule_due ON ${schema}.certification_schedule (due_at) WHERE NOT done;
CREATE TABLE IF NOT EXISTS ${schema}.certification_periods (
  event_id         uuid PRIMARY KEY,
  certification_id text NOT NULL,
  revision         bigint NOT NULL,
  staff_id         text NOT NULL,
  window_opens_at  timestamptz NOT NULL,
  valid_until      timestamptz NOT NULL,
  correlation_id   text NOT NULL,
  voided           boolean NOT NULL DEFAULT false,
  window_done      boolean NOT NULL DEFAULT false,
  warning_done     boolean NOT NULL DEFAULT false,
  expiry_done      boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS certification_periods_by_certification
  ON ${schema}.certification_periods (certification_id, revision);
CREATE TABLE IF NOT EXISTS ${schema}.rule_schedule (
  rule_event_id    uuid PRIMARY KEY,
  jurisdiction     text NOT NULL,
  due_at           timestamptz NOT NULL,
  correlation_id   text NOT NULL,
  done             boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS rule_schedule_due ON ${schema}.rule_schedule (due_at) WHERE NOT done;`;

interface ValidityData {
  staffId: string;
  certificationId: string;
  validUntil: string;
  windowOpensAt: string;
}

const DONE_COLUMN: Record<ScheduleKind, string> = {
  window: 'window_done',
  warning: 'warning_done',
  expiry: 'expiry_done',
};

/**
 * The three rows of the schedule (re)written from one validity period: from the period just
 * recorded (nothing done yet), or from the period a voided renewal gives back (with the notices
 * already recorded for it done, as the staff decider remembers them).
 */
const SCHEDULE_FROM_PERIOD = (schema: string): string => `
INSERT INTO ${schema}.certification_schedule
  (certification_id, kind, staff_id, due_at, valid_until, cause_event_id, correlation_id, done)
SELECT p.certification_id, k.kind, p.staff_id,
       CASE k.kind WHEN 'window' THEN p.window_opens_at
                   WHEN 'warning' THEN p.valid_until - make_interval(days => ${EXPIRY_WARNING_DAYS})
                   ELSE p.valid_until END,
       p.valid_until, p.event_id, p.correlation_id,
       CASE k.kind WHEN 'window' THEN p.window_done WHEN 'warning' THEN p.warning_done ELSE p.expiry_done END
  FROM ${schema}.certification_periods p
 CROSS JOIN (VALUES ('window'), ('warning'), ('expiry')) AS k(kind)
 WHERE p.event_id = $1
ON CONFLICT (certification_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at,
  valid_until = EXCLUDED.valid_until, cause_event_id = EXCLUDED.cause_event_id,
  correlation_id = EXCLUDED.correlation_id, done = EXCLUDED.done`;

/**
 * The scheduler's table of due times, one row per certification and notice (window opens, expiry
 * warned 30 days before, expiry), fed by the log: an award or a renewal (re)schedules the three;
 * a recorded notice marks its row done; a revocation, or the voiding of the award, unschedules;
 * the voiding of a renewal gives the schedule back to the period before it, as the staff decider
 * does. The validity periods are kept for that (`certification_periods`). Beside it, one row per
 * jurisdiction rule (adoption or requirement) recorded before its `effectiveFrom`, due then
 * (`rule_schedule`, done once `JurisdictionRuleTookEffect` is recorded): a rule in force when
 * recorded needs no notice, and a rule is never voided nor withdrawn (adoptions only move
 * forward), so each row stays due. The tick ({@link CertificationScheduleTicker}) sends what is due.
 */
export function certificationScheduleProjection(): Projection {
  return {
    name: CERTIFICATION_SCHEDULE,
    // 2: validity periods kept, so that a voided renewal restores the previous period's notices.
    // 3: rules taking effect in the future (`rule_schedule`), rebuilt so that rules recorded
    // before this version are scheduled too.
    version: 3,
    handles: [
      'CertificationAwarded',
      'CertificationRenewed',
      'RecertificationWindowOpened',
      'CertificationExpiryWarned',
      'CertificationExpired',
      'CertificationRevoked',
      'RecordVoided',
      'FrameworkAdopted',
      'JurisdictionRequirementAdded',
      'JurisdictionRuleTookEffect',
    ],
    tables: ['certification_schedule', 'certification_periods', 'rule_schedule'],
    schema: PROCESSES_SCHEMA,
    createTables: async (tx, schema) => {
      await tx.query(PROCESSES_DDL_LOCK);
      await tx.query(REFUSALS_SQL(schema));
      await tx.query(scheduleTableSql(schema));
    },
    apply: async (events, tx) => {
      const schedule = `${tx.schema}.certification_schedule`;
      const periods = `${tx.schema}.certification_periods`;
      const rules = `${tx.schema}.rule_schedule`;
      for (const event of events as readonly RecordedEvent<string, Record<string, string>>[]) {
        const data = event.data;
        switch (event.type) {
          case 'CertificationAwarded':
          case 'CertificationRenewed': {
            const { staffId, certificationId, validUntil, windowOpensAt } = data as unknown as ValidityData;
            await tx.query(
              `WITH period AS (
                 INSERT INTO ${periods} (event_id, certification_id, revision, staff_id, window_opens_at, valid_until, correlation_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (event_id) DO NOTHING
               )
               INSERT INTO ${schedule} (certification_id, kind, staff_id, due_at, valid_until, cause_event_id, correlation_id, done)
               VALUES ($2, 'window', $4, $5, $6, $1, $7, false),
                      ($2, 'warning', $4, $8, $6, $1, $7, false),
                      ($2, 'expiry', $4, $6, $6, $1, $7, false)
               ON CONFLICT (certification_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at,
                 valid_until = EXCLUDED.valid_until, cause_event_id = EXCLUDED.cause_event_id,
                 correlation_id = EXCLUDED.correlation_id, done = false`,
              [
                event.eventId,
                certificationId,
                event.revision,
                staffId,
                windowOpensAt,
                validUntil,
                event.metadata.correlationId,
                new Date(Date.parse(validUntil) - EXPIRY_WARNING_DAYS * DAY_MS).toISOString(),
              ],
            );
            break;
          }
          case 'CertificationRevoked':
            await tx.query(
              `WITH gone AS (DELETE FROM ${periods} WHERE certification_id = $1)
               DELETE FROM ${schedule} WHERE certification_id = $1`,
              [data.certificationId],
            );
            break;
          case 'RecordVoided':
            await voidPeriod(tx, schedule, periods, data.targetEventId);
            break;
          case 'FrameworkAdopted':
          case 'JurisdictionRequirementAdded':
            if (Date.parse(data.effectiveFrom) > Date.parse(event.recordedAt)) {
              await tx.query(
                `INSERT INTO ${rules} (rule_event_id, jurisdiction, due_at, correlation_id)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (rule_event_id) DO NOTHING`,
                [event.eventId, data.jurisdiction, data.effectiveFrom, event.metadata.correlationId],
              );
            }
            break;
          case 'JurisdictionRuleTookEffect':
            await tx.query(`UPDATE ${rules} SET done = true WHERE rule_event_id = $1`, [data.ruleEventId]);
            break;
          default: {
            const kind = KIND_OF_NOTICE[event.type];
            await tx.query(
              `WITH period AS (
                 UPDATE ${periods} SET ${DONE_COLUMN[kind]} = true
                  WHERE certification_id = $1 AND valid_until = $3 AND NOT voided
               )
               UPDATE ${schedule} SET done = true WHERE certification_id = $1 AND kind = $2 AND valid_until = $3`,
              [data.certificationId, kind, data.validUntil],
            );
          }
        }
      }
    },
  };
}

/**
 * Voiding the award unschedules the certification (it never existed); voiding a renewal gives
 * the schedule back to the latest period still standing (the staff decider's current period).
 * A void of anything else (an attendance, an assessment) finds no period and changes nothing.
 */
async function voidPeriod(
  tx: ProjectionTransaction,
  schedule: string,
  periods: string,
  targetEventId: string | undefined,
): Promise<void> {
  // Certification records are events of the store: their ids are UUIDs.
  if (!targetEventId || !UUID.test(targetEventId)) return;
  const [target] = await tx.query<{ certification_id: string; first: boolean }>(
    `UPDATE ${periods} p SET voided = true
      WHERE p.event_id = $1::uuid
      RETURNING p.certification_id,
        NOT EXISTS (SELECT 1 FROM ${periods} o WHERE o.certification_id = p.certification_id AND o.revision < p.revision) AS first`,
    [targetEventId],
  );
  if (!target) return;
  if (target.first) {
    await tx.query(`DELETE FROM ${schedule} WHERE certification_id = $1`, [target.certification_id]);
    return;
  }
  const [current] = await tx.query<{ event_id: string }>(
    `SELECT event_id FROM ${periods} WHERE certification_id = $1 AND NOT voided ORDER BY revision DESC LIMIT 1`,
    [target.certification_id],
  );
  if (current) await tx.query(SCHEDULE_FROM_PERIOD(tx.schema), [current.event_id]);
  else await tx.query(`DELETE FROM ${schedule} WHERE certification_id = $1`, [target.certification_id]);
}

export interface TickResult {
  /** Due rows handled (a command sent, answered with an event, nothing, or a refusal). */
  readonly handled: number;
}

/**
 * Sends the due notices, oldest due first (a worker that was off for a week catches up in order),
 * under an advisory lock so that one worker at a time does: the certifications' to their staff
 * streams, the rules' taking effect to their jurisdiction's stream (`RecordRuleTakingEffect`).
 * A row is marked done once its command answered: the staff decider records each notice once per
 * validity period, the jurisdiction decider once per rule, so a crash between the command and the
 * mark re-sends a command that records nothing.
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
    return withTransaction(this.pool, async (client) => {
      const { rows: lock } = await client.query<{ got: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1, $2) AS got',
        [...TICK_LOCK],
      );
      if (!lock[0]?.got) return null;
      // The tables, only if the schedule's runner has not made them yet: CREATE INDEX IF NOT
      // EXISTS locks its table even when the index exists, and two of them here would deadlock
      // with a batch of the runner writing both tables. The last table the DDL creates tells.
      const { rows: made } = await client.query<{ made: boolean }>(
        'SELECT to_regclass($1) IS NOT NULL AS made',
        [`${PROCESSES_SCHEMA}.rule_schedule`],
      );
      if (!made[0]?.made) {
        await client.query(PROCESSES_DDL_LOCK);
        await client.query(REFUSALS_SQL(PROCESSES_SCHEMA));
        await client.query(scheduleTableSql(PROCESSES_SCHEMA));
      }
      const now = this.deps.now();
      // `id`: the certification, or the rule's event; `target`: the staff member, or the jurisdiction.
      const { rows } = await client.query<DueRow>(
        `SELECT kind, id, target, cause_event_id, correlation_id FROM (
           SELECT due_at, kind, certification_id AS id, staff_id AS target, cause_event_id, correlation_id
             FROM ${PROCESSES_SCHEMA}.certification_schedule WHERE NOT done AND due_at <= $1
           UNION ALL
           SELECT due_at, 'rule', rule_event_id::text, jurisdiction, rule_event_id, correlation_id
             FROM ${PROCESSES_SCHEMA}.rule_schedule WHERE NOT done AND due_at <= $1
         ) due
         ORDER BY due_at, ${KIND_ORDER}, id
         LIMIT $2`,
        [now, this.batchSize],
      );
      const tx = {
        query: async (sql: string, params?: readonly unknown[]) =>
          (await client.query(sql, params as unknown[])).rows,
      };
      for (const row of rows) await this.send(row, tx);
      return rows.length;
    });
  }

  /** Sends one due row's command and marks the row done (in the tick's transaction). */
  private async send(row: DueRow, tx: Pick<ProjectionTransaction, 'query'>): Promise<void> {
    const cause = {
      eventId: row.cause_event_id,
      metadata: { correlationId: row.correlation_id } as RecordedEvent['metadata'],
    };
    if (row.kind === 'rule') {
      await sendCommand(
        this.deps,
        CERTIFICATION_SCHEDULE,
        cause,
        {
          stream: jurisdictionStream(row.target),
          decider: jurisdictionDecider,
          command: {
            type: 'RecordRuleTakingEffect',
            data: { jurisdiction: row.target, ruleEventId: row.id },
          },
        },
        tx,
      );
      await tx.query(`UPDATE ${PROCESSES_SCHEMA}.rule_schedule SET done = true WHERE rule_event_id = $1`, [
        row.id,
      ]);
      return;
    }
    const type = COMMAND_OF[row.kind] as 'OpenRecertificationWindow';
    await sendCommand(
      this.deps,
      CERTIFICATION_SCHEDULE,
      cause,
      {
        stream: staffStream(row.target),
        decider: staffDecider,
        command: { type, data: { staffId: row.target, certificationId: row.id } },
      },
      tx,
    );
    await tx.query(
      `UPDATE ${PROCESSES_SCHEMA}.certification_schedule SET done = true WHERE certification_id = $1 AND kind = $2`,
      [row.id, row.kind],
    );
  }
}

interface DueRow {
  readonly kind: DueKind;
  readonly id: string;
  readonly target: string;
  readonly cause_event_id: string;
  readonly correlation_id: string;
}

import { EXPIRY_WARNING_DAYS } from '@cadre/domain';
import type { RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import { PROCESSES_DDL_LOCK, PROCESSES_SCHEMA, REFUSALS_SQL } from './process-support.js';

export const CERTIFICATION_SCHEDULE = 'process-certification-schedule';
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ScheduleKind = 'window' | 'warning' | 'expiry';

const KIND_OF_NOTICE: Record<string, ScheduleKind> = {
  RecertificationWindowOpened: 'window',
  CertificationExpiryWarned: 'warning',
  CertificationExpired: 'expiry',
};

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

import { withTransaction } from '@cadre/platform/database';
import type pg from 'pg';
import {
  jurisdictionDecider,
  jurisdictionStream,
  staffDecider,
  staffStream,
  type StaffCommand,
} from '@cadre/domain';
import type { RecordedEvent } from '@cadre/event-store';
import type { LeaseProvider, ProjectionTransaction } from '@cadre/subscriptions';
import { CERTIFICATION_SCHEDULE, type ScheduleKind } from './certification-schedule.process.js';
import { PROCESSES_SCHEMA, sendCommand, type ProcessDependencies } from './process-support.js';

/** The tick's lease: one worker at a time sends due commands. */
export const TICK_LEASE = 'certification-schedule-tick';

/** A due row: a certification's notice, or a jurisdiction rule taking effect (`rule`). */
type DueKind = ScheduleKind | 'rule';

const COMMAND_OF: Record<ScheduleKind, StaffCommand['type']> = {
  window: 'OpenRecertificationWindow',
  warning: 'WarnCertificationExpiry',
  expiry: 'ExpireCertification',
};
const KIND_ORDER = `CASE kind WHEN 'window' THEN 0 WHEN 'warning' THEN 1 WHEN 'expiry' THEN 2 ELSE 3 END`;

export interface TickResult {
  /** Due rows handled (a command sent, answered with an event, nothing, or a refusal). */
  readonly handled: number;
}

/**
 * Sends the due notices, oldest due first (a worker that was off for a week catches up in order),
 * under a lease (the process's, as the runners take theirs) so that one worker at a time does: the certifications' to their staff
 * streams, the rules' taking effect to their jurisdiction's stream (`RecordRuleTakingEffect`).
 * A row is marked done once its command answered: the staff decider records each notice once per
 * validity period, the jurisdiction decider once per rule, so a crash between the command and the
 * mark re-sends a command that records nothing.
 */
export class CertificationScheduleTicker {
  constructor(
    private readonly pool: pg.Pool,
    private readonly leases: LeaseProvider,
    private readonly deps: ProcessDependencies,
    private readonly batchSize = 200,
  ) {}

  /** Sends what is due, batch after batch; nothing when another worker holds the tick's lease. */
  async tick(): Promise<TickResult> {
    const lease = await this.leases.tryAcquire(TICK_LEASE);
    if (!lease) return { handled: 0 };
    try {
      let handled = 0;
      for (;;) {
        if (!lease.held) return { handled };
        const done = await this.tickBatch();
        handled += done;
        if (done < this.batchSize) return { handled };
      }
    } finally {
      await lease.release();
    }
  }

  private async tickBatch(): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      // Nothing is due before the schedule's runner has made its tables (it alone creates them,
      // under the processes' DDL lock: a second creator here raced it on the schema, and CREATE
      // INDEX IF NOT EXISTS would deadlock with a batch of the runner). The last table tells.
      const { rows: made } = await client.query<{ made: boolean }>(
        'SELECT to_regclass($1) IS NOT NULL AS made',
        [`${PROCESSES_SCHEMA}.rule_schedule`],
      );
      if (!made[0]?.made) return 0;
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

import type { Projection } from '@cadre/subscriptions';
import type { UnsealDependency } from '../staff-directory/staff-directory.rows.js';
import { insertRows, columnsOf } from '../bitemporal/sql-rows.js';
import { NAME_EVENTS, applyNames, createNamesTable } from '../staff-transcript/staff-names.js';
import { INBOX_EVENTS, acknowledgementRow, lapseRow, type LapseRow } from './lapse-inbox.rows.js';

export const LAPSE_INBOX_SCHEMA = 'rm_lapse_inbox';

const LAPSE_COLUMNS = columnsOf({
  lapse_id: 'uuid',
  kind: 'text',
  team_id: 'text',
  staff_id: 'text',
  team_role: 'text',
  certification_id: 'text',
  competency: 'text',
  cause: 'text',
  since: 'timestamptz',
  unmet: 'jsonb',
  detail: 'text',
  occurred_at: 'timestamptz',
  recorded_at: 'timestamptz',
});

const lapseColumns = (r: LapseRow) => [
  r.lapseId,
  r.kind,
  r.teamId,
  r.staffId,
  r.teamRole,
  r.certificationId,
  r.competency,
  r.cause,
  r.since,
  r.unmet,
  r.detail,
  r.occurredAt,
  r.recordedAt,
];

/**
 * The managers' lapse inbox (DOMAIN read model 9): every lapse (with the team role, the
 * competency and what is unmet) and every team that lost its readiness, with the team's
 * jurisdiction, the member's name, its acknowledgement (LapseAcknowledged) once recorded, and for
 * a lapse when the member was requalified (the item is then closed). Version 2: lapses since
 * decision 0010 carry these; a deployed inbox is rebuilt in place.
 */
export const lapseInboxProjection = (deps: UnsealDependency = {}): Projection => ({
  name: 'lapse-inbox',
  version: 2,
  handles: ['TeamFormed', ...INBOX_EVENTS, 'MemberRequalified', 'LapseAcknowledged', ...NAME_EVENTS],
  tables: ['teams', 'lapses', 'names'],
  schema: LAPSE_INBOX_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.teams (
      team_id text PRIMARY KEY,
      name text NOT NULL,
      jurisdiction text NOT NULL)`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.lapses (
      lapse_id uuid PRIMARY KEY,
      team_id text NOT NULL,
      staff_id text NOT NULL,
      certification_id text NOT NULL,
      cause text NOT NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      acknowledged_at timestamptz,
      acknowledged_by text,
      note text)`);
    await tx.query(`ALTER TABLE ${schema}.lapses
      ALTER COLUMN staff_id DROP NOT NULL,
      ALTER COLUMN certification_id DROP NOT NULL,
      ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'member-lapsed',
      ADD COLUMN IF NOT EXISTS team_role text,
      ADD COLUMN IF NOT EXISTS competency text,
      ADD COLUMN IF NOT EXISTS since timestamptz,
      ADD COLUMN IF NOT EXISTS unmet jsonb,
      ADD COLUMN IF NOT EXISTS detail text,
      ADD COLUMN IF NOT EXISTS requalified_at timestamptz`);
    await tx.query(`CREATE INDEX IF NOT EXISTS lapses_by_time ON ${schema}.lapses (recorded_at, lapse_id)`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS lapses_open_by_member ON ${schema}.lapses (team_id, staff_id) WHERE requalified_at IS NULL`,
    );
    await createNamesTable(tx, schema);
  },
  apply: async (events, tx) => {
    const teams = events.filter((e) => e.type === 'TeamFormed');
    await insertRows(
      tx,
      'teams',
      columnsOf({ team_id: 'text', name: 'text', jurisdiction: 'text' }),
      teams.map((e) => {
        const d = e.data as { teamId: string; name: string; jurisdiction: string };
        return [d.teamId, d.name, d.jurisdiction];
      }),
    );
    // In log order: a requalification closes the lapses recorded before it, in this batch too. The
    // lines before each requalification go in one statement (most batches have none: one statement).
    let pending: LapseRow[] = [];
    const flush = async () => {
      await insertRows(tx, 'lapses', LAPSE_COLUMNS, pending.map(lapseColumns));
      pending = [];
    };
    for (const event of events) {
      if (INBOX_EVENTS.includes(event.type)) pending.push(lapseRow(event));
      else if (event.type === 'MemberRequalified') {
        await flush();
        const d = event.data as { teamId: string; staffId: string; since: string };
        await tx.query(
          `UPDATE ${tx.schema}.lapses SET requalified_at = $3
            WHERE team_id = $1 AND staff_id = $2 AND kind = 'member-lapsed' AND requalified_at IS NULL`,
          [d.teamId, d.staffId, d.since],
        );
      }
    }
    await flush();
    const acknowledgements = events.filter((e) => e.type === 'LapseAcknowledged').map(acknowledgementRow);
    if (acknowledgements.length > 0) {
      await tx.query(
        `UPDATE ${tx.schema}.lapses l SET acknowledged_at = a.at, acknowledged_by = a.by, note = a.note
           FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[]) AS a(id, at, by, note)
          WHERE l.lapse_id = a.id`,
        [
          acknowledgements.map((a) => a.lapseId),
          acknowledgements.map((a) => a.acknowledgedAt),
          acknowledgements.map((a) => a.acknowledgedBy),
          acknowledgements.map((a) => a.note),
        ],
      );
    }
    await applyNames(
      tx,
      deps,
      events.filter((e) => NAME_EVENTS.includes(e.type)),
    );
  },
});

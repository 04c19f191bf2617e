import type { Projection } from '../../projection.js';
import type { UnsealDependency } from '../staff-directory/staff-directory.rows.js';
import { insertRows } from '../bitemporal/sql-rows.js';
import { NAME_EVENTS, applyNames, createNamesTable } from '../staff-transcript/staff-names.js';
import { acknowledgementRow, lapseRow } from './lapse-inbox.rows.js';

export const LAPSE_INBOX_SCHEMA = 'rm_lapse_inbox';

/**
 * The managers' lapse inbox (DOMAIN read model 9): every MemberQualificationLapsed with its team's
 * jurisdiction, the member's name, and its acknowledgement (LapseAcknowledged) once recorded.
 */
export const lapseInboxProjection = (deps: UnsealDependency = {}): Projection => ({
  name: 'lapse-inbox',
  version: 1,
  handles: ['TeamFormed', 'MemberQualificationLapsed', 'LapseAcknowledged', ...NAME_EVENTS],
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
    await tx.query(`CREATE INDEX IF NOT EXISTS lapses_by_time ON ${schema}.lapses (recorded_at, lapse_id)`);
    await createNamesTable(tx, schema);
  },
  apply: async (events, tx) => {
    const teams = events.filter((e) => e.type === 'TeamFormed');
    await insertRows(
      tx,
      'teams',
      [
        { name: 'team_id', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'jurisdiction', type: 'text' },
      ],
      teams.map((e) => {
        const d = e.data as { teamId: string; name: string; jurisdiction: string };
        return [d.teamId, d.name, d.jurisdiction];
      }),
    );
    const lapses = events.filter((e) => e.type === 'MemberQualificationLapsed').map(lapseRow);
    await insertRows(
      tx,
      'lapses',
      [
        { name: 'lapse_id', type: 'uuid' },
        { name: 'team_id', type: 'text' },
        { name: 'staff_id', type: 'text' },
        { name: 'certification_id', type: 'text' },
        { name: 'cause', type: 'text' },
        { name: 'occurred_at', type: 'timestamptz' },
        { name: 'recorded_at', type: 'timestamptz' },
      ],
      lapses.map((r) => [
        r.lapseId,
        r.teamId,
        r.staffId,
        r.certificationId,
        r.cause,
        r.occurredAt,
        r.recordedAt,
      ]),
    );
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

import type { RecordedEvent } from '@cadre/event-store';
import { storableJson } from '@cadre/kernel';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import { insertRows, type Column, columnsOf } from '../bitemporal/sql-rows.js';
import { LEDGER_EVENT_TYPES, ledgerEntryOf, teamOf } from './assignment-ledger.rows.js';

export const ASSIGNMENT_LEDGER_SCHEMA = 'rm_assignment_ledger';

const ENTRY_COLUMNS: readonly Column[] = columnsOf({
  event_id: 'uuid',
  team_id: 'text',
  kind: 'text',
  staff_id: 'text',
  team_role: 'text',
  acted_by: 'text',
  override_id: 'text',
  requested_by: 'text',
  approved_by: 'text',
  justification: 'text',
  reason: 'text',
  qualification: 'jsonb',
  violations: 'jsonb',
  requirements_version: 'text',
  correlation_id: 'text',
  valid_from: 'timestamptz',
  recorded_at: 'timestamptz',
});

/**
 * Who assigned whom, when, in which role, on which certifications; overrides with their requester
 * and approver; releases. Each line is a fact at its business time: it never changes (team events
 * are not voidable), so `valid_to` and `superseded_at` stay null and the two clocks filter on
 * `valid_from` and `recorded_at`.
 */
export const assignmentLedgerProjection = (): Projection => ({
  name: 'assignment-ledger',
  version: 2,
  handles: LEDGER_EVENT_TYPES,
  tables: ['teams', 'entries'],
  schema: ASSIGNMENT_LEDGER_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.teams (
      team_id text PRIMARY KEY,
      jurisdiction text NOT NULL
    )`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.entries (
      event_id uuid PRIMARY KEY,
      team_id text NOT NULL,
      jurisdiction text NOT NULL,
      kind text NOT NULL,
      staff_id text,
      team_role text,
      acted_by text,
      override_id text,
      requested_by text,
      approved_by text,
      justification text,
      reason text,
      qualification jsonb,
      violations jsonb,
      requirements_version text,
      correlation_id text NOT NULL,
      valid_from timestamptz NOT NULL,
      valid_to timestamptz,
      recorded_at timestamptz NOT NULL,
      superseded_at timestamptz
    )`);
    // Lines of one command share their business time: `seq` keeps the order they were recorded in.
    await tx.query(`ALTER TABLE ${schema}.entries ADD COLUMN IF NOT EXISTS seq bigserial`);
    await tx.query(`CREATE INDEX IF NOT EXISTS entries_in_order ON ${schema}.entries (valid_from, seq)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS entries_by_team ON ${schema}.entries (team_id, valid_from)`);
  },
  apply: applyLedger,
});

async function applyLedger(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
  const teams = events.map(teamOf).filter((team) => team !== null);
  await insertRows(
    tx,
    'teams',
    columnsOf({ team_id: 'text', jurisdiction: 'text' }),
    teams.map((team) => [team.teamId, team.jurisdiction]),
  );
  const entries = events.map(ledgerEntryOf).filter((entry) => entry !== null);
  if (entries.length === 0) return;
  const rows = entries.map((e) => [
    e.eventId,
    e.teamId,
    e.kind,
    e.staffId,
    e.teamRole,
    e.actedBy,
    e.overrideId,
    e.requestedBy,
    e.approvedBy,
    e.justification,
    e.reason,
    e.qualification,
    e.violations,
    e.requirementsVersion,
    e.correlationId,
    e.validFrom,
    e.recordedAt,
  ]);
  // The jurisdiction comes from the team (its TeamFormed precedes any line of its stream).
  const params = ENTRY_COLUMNS.map((column, i) =>
    rows.map((row) =>
      column.type === 'jsonb' && row[i] != null ? storableJson(JSON.stringify(row[i])) : row[i],
    ),
  );
  const types = ENTRY_COLUMNS.map((c, i) => `$${i + 1}::${c.type === 'jsonb' ? 'text' : c.type}[]`);
  const names = ENTRY_COLUMNS.map((c) => c.name);
  await tx.query(
    `INSERT INTO ${tx.schema}.entries (${names.join(', ')}, jurisdiction)
     SELECT ${names.map((n, i) => (ENTRY_COLUMNS[i]!.type === 'jsonb' ? `u.${n}::jsonb` : `u.${n}`)).join(', ')},
            t.jurisdiction
     FROM unnest(${types.join(', ')}) WITH ORDINALITY AS u(${names.join(', ')}, n)
     JOIN ${tx.schema}.teams t ON t.team_id = u.team_id
     ORDER BY u.n
     ON CONFLICT (event_id) DO NOTHING`,
    params,
  );
  // An approval or a rejection names only the override: copy whom and which role it concerned,
  // from its request (in this batch or an earlier one). Only this batch's answers are touched: a
  // scan of every entry at every batch made rebuilds quadratic in the ledger's size.
  const answers = entries
    .filter((e) => e.kind === 'override-approved' || e.kind === 'override-rejected')
    .map((e) => e.eventId);
  if (answers.length === 0) return;
  await tx.query(
    `UPDATE ${tx.schema}.entries e
     SET staff_id = r.staff_id, team_role = r.team_role, requested_by = r.requested_by,
         justification = r.justification, violations = r.violations
     FROM ${tx.schema}.entries r
     WHERE e.event_id = ANY($1::uuid[]) AND e.staff_id IS NULL
       AND r.kind = 'override-requested' AND r.team_id = e.team_id AND r.override_id = e.override_id`,
    [answers],
  );
}

import type { RecordedEvent } from '@cadre/event-store';
import type { TeamEvent } from '@cadre/domain';
import { storableJson } from '@cadre/kernel';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';

export const TEAM_LIST_SCHEMA = 'rm_team_list';

export const TEAM_LIST_EVENT_TYPES = [
  'TeamFormed',
  'MemberAssigned',
  'MemberReleased',
  'TeamLeadDesignated',
  'TeamDeclaredOperational',
  'TeamReadinessLost',
  'TeamDissolved',
] as const;

/** A change to one team's row: pure, so the mapping is unit-tested without a database. */
export type TeamListChange =
  | { readonly kind: 'formed'; readonly values: readonly unknown[] }
  | {
      readonly kind: 'set';
      readonly teamId: string;
      readonly column: 'lead_staff_id' | 'status';
      readonly value: string;
    }
  | { readonly kind: 'members'; readonly teamId: string; readonly delta: 1 | -1 };

export function teamListChangeOf(event: RecordedEvent): TeamListChange | null {
  const typed = event as unknown as TeamEvent;
  switch (typed.type) {
    case 'TeamFormed': {
      const d = typed.data;
      return {
        kind: 'formed',
        values: [
          d.teamId,
          d.name,
          d.jurisdiction,
          storableJson(JSON.stringify(d.institutions)),
          d.kind,
          d.caseRef,
          storableJson(JSON.stringify(d.requiredDisciplines)),
          event.metadata.occurredAt,
        ],
      };
    }
    case 'MemberAssigned':
      return { kind: 'members', teamId: typed.data.teamId, delta: 1 };
    case 'MemberReleased':
      return { kind: 'members', teamId: typed.data.teamId, delta: -1 };
    case 'TeamLeadDesignated':
      return { kind: 'set', teamId: typed.data.teamId, column: 'lead_staff_id', value: typed.data.staffId };
    case 'TeamDeclaredOperational':
      return { kind: 'set', teamId: typed.data.teamId, column: 'status', value: 'operational' };
    case 'TeamReadinessLost':
      return { kind: 'set', teamId: typed.data.teamId, column: 'status', value: 'forming' };
    case 'TeamDissolved':
      return { kind: 'set', teamId: typed.data.teamId, column: 'status', value: 'dissolved' };
    default:
      return null;
  }
}

/** The managers' team list: one current-state row per team (status, members, lead). */
export const teamListProjection = (): Projection => ({
  name: 'team-list',
  version: 1,
  handles: TEAM_LIST_EVENT_TYPES,
  tables: ['teams'],
  schema: TEAM_LIST_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.teams (
      team_id text PRIMARY KEY,
      name text NOT NULL,
      jurisdiction text NOT NULL,
      institutions text[] NOT NULL,
      kind text NOT NULL,
      case_ref text NOT NULL,
      required_disciplines jsonb NOT NULL,
      status text NOT NULL DEFAULT 'forming',
      member_count int NOT NULL DEFAULT 0,
      lead_staff_id text,
      formed_at timestamptz NOT NULL
    )`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS teams_by_jurisdiction ON ${schema}.teams (jurisdiction, team_id)`,
    );
  },
  apply: applyTeamList,
});

async function applyTeamList(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
  const changes = events.map(teamListChangeOf).filter((change) => change !== null);
  const formed = changes.flatMap((c) => (c.kind === 'formed' ? [c.values] : []));
  if (formed.length > 0) {
    const column = (i: number) => formed.map((values) => values[i]);
    await tx.query(
      `INSERT INTO ${tx.schema}.teams (team_id, name, jurisdiction, institutions, kind, case_ref, required_disciplines, formed_at)
       SELECT id, name, jurisdiction, ARRAY(SELECT jsonb_array_elements_text(institutions::jsonb)), kind, case_ref,
              disciplines::jsonb, formed_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         AS u(id, name, jurisdiction, institutions, kind, case_ref, disciplines, formed_at)
       ON CONFLICT (team_id) DO NOTHING`,
      [0, 1, 2, 3, 4, 5, 6, 7].map(column),
    );
  }
  // Member counts: one statement for the batch's net change per team.
  const deltas = new Map<string, number>();
  for (const c of changes)
    if (c.kind === 'members') deltas.set(c.teamId, (deltas.get(c.teamId) ?? 0) + c.delta);
  if (deltas.size > 0) {
    await tx.query(
      `UPDATE ${tx.schema}.teams t SET member_count = t.member_count + u.delta
       FROM unnest($1::text[], $2::int[]) AS u(team_id, delta) WHERE t.team_id = u.team_id`,
      [[...deltas.keys()], [...deltas.values()]],
    );
  }
  // Lead and status: the batch's last value per team, one statement per column.
  const latest = { lead_staff_id: new Map<string, string>(), status: new Map<string, string>() };
  for (const c of changes) if (c.kind === 'set') latest[c.column].set(c.teamId, c.value);
  for (const [column, values] of Object.entries(latest)) {
    if (values.size === 0) continue;
    await tx.query(
      `UPDATE ${tx.schema}.teams t SET ${column} = u.value
       FROM unnest($1::text[], $2::text[]) AS u(team_id, value) WHERE t.team_id = u.team_id`,
      [[...values.keys()], [...values.values()]],
    );
  }
}

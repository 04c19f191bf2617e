import {
  staffDecider,
  staffSnapshot,
  teamDecider,
  teamStream,
  type RecordMemberQualificationLapse,
  type RecordVoided,
  type StaffState,
  type TeamContext,
  type TeamState,
} from '@cadre/domain';
import { loadTeamRules, streamCategory, toDomainEvent, type RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '../projection.js';
import {
  PROCESSES_DDL_LOCK,
  PROCESSES_SCHEMA,
  REFUSALS_SQL,
  sendCommand,
  type ProcessDependencies,
} from './process-support.js';

export const LAPSE_PROCESS = 'process-qualification-lapse';

const CAUSES = {
  CertificationExpired: 'expired',
  CertificationSuspended: 'suspended',
  CertificationRevoked: 'revoked',
} as const;

/** The records whose void takes a certification (or its latest period) back. */
const CERTIFICATION_RECORDS = ['CertificationAwarded', 'CertificationRenewed'];

type Lapse = RecordMemberQualificationLapse['data'];

/**
 * A certification expires, is suspended, revoked, or its award or renewal is voided →
 * MemberQualificationLapsed on each team the member serves (from a small table of memberships
 * this process keeps from the team events, in log order). The team decider records a lapse once
 * per member and certification, and one caused by a void only when it leaves a requirement of the
 * member's team role unmet.
 *
 * Version 1 still: voids were added to `handles` without a version change, which would replay the
 * whole log from an emptied membership table, and a member released and assigned again since an
 * old lapse would have it recorded a second time. Voids recorded before this process handled them
 * lapse nothing.
 */
export function lapseProcess(deps: ProcessDependencies): Projection {
  return {
    name: LAPSE_PROCESS,
    version: 1,
    handles: ['MemberAssigned', 'MemberReleased', 'TeamDissolved', 'RecordVoided', ...Object.keys(CAUSES)],
    tables: ['lapse_memberships'],
    schema: PROCESSES_SCHEMA,
    createTables: async (tx, schema) => {
      await tx.query(PROCESSES_DDL_LOCK);
      await tx.query(REFUSALS_SQL(schema));
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.lapse_memberships (
           staff_id text NOT NULL, team_id text NOT NULL, PRIMARY KEY (staff_id, team_id))`,
      );
    },
    apply: async (events, tx) => {
      const table = `${tx.schema}.lapse_memberships`;
      for (const event of events as readonly RecordedEvent<string, Record<string, string>>[]) {
        const { staffId, teamId, certificationId } = event.data;
        switch (event.type) {
          case 'MemberAssigned':
            await tx.query(`INSERT INTO ${table} VALUES ($1, $2) ON CONFLICT DO NOTHING`, [staffId, teamId]);
            break;
          case 'MemberReleased':
            await tx.query(`DELETE FROM ${table} WHERE staff_id = $1 AND team_id = $2`, [staffId, teamId]);
            break;
          case 'TeamDissolved':
            await tx.query(`DELETE FROM ${table} WHERE team_id = $1`, [teamId]);
            break;
          case 'RecordVoided':
            if (isCertificationVoid(event)) await lapseOnVoid(deps, event, tx);
            break;
          default: {
            const cause = CAUSES[event.type as keyof typeof CAUSES];
            for (const team of await teamsServedBy(tx, staffId)) {
              await recordLapse(deps, event, { teamId: team, staffId, certificationId, cause }, tx);
            }
          }
        }
      }
    },
  };
}

type CertificationVoided = RecordedEvent<'RecordVoided', RecordVoided['data']>;

function isCertificationVoid(event: RecordedEvent): event is CertificationVoided {
  const data = event.data as Partial<RecordVoided['data']>;
  return streamCategory(event.stream) === 'staff' && CERTIFICATION_RECORDS.includes(data.targetType ?? '');
}

/**
 * The member as the void left them: their stream read up to the void, so the decision rests on
 * the log in order (what came after is for the later events to decide). The team decider judges
 * each team's role against it.
 */
async function lapseOnVoid(
  deps: ProcessDependencies,
  event: CertificationVoided,
  tx: ProjectionTransaction,
): Promise<void> {
  const staffId = event.stream.slice('staff-'.length);
  const teams = await teamsServedBy(tx, staffId);
  if (teams.length === 0) return;
  const history = await deps.store.readStream(event.stream, { maxCount: event.revision + 1 });
  const target = history.find((e) => e.eventId === event.data.targetEventId);
  const certificationId = (target?.data as { certificationId?: string } | undefined)?.certificationId;
  if (!certificationId) return;
  const candidate = staffSnapshot(
    history.reduce(
      (state: StaffState, e) => staffDecider.evolve(state, toDomainEvent(e)),
      staffDecider.initialState(),
    ),
  );
  for (const teamId of teams) {
    await recordLapse(
      deps,
      event,
      { teamId, staffId, certificationId, cause: 'voided' },
      tx,
      async (state, base) => {
        if (state.status === 'none' || state.status === 'dissolved' || !state.members[staffId]) return base;
        // A process's command carries no occurredAt: the decider judges at `now`, and so do the rules.
        return { ...base, candidate, rules: await loadTeamRules(deps.store, state.jurisdiction, base.now) };
      },
    );
  }
}

async function teamsServedBy(tx: ProjectionTransaction, staffId: string | undefined): Promise<string[]> {
  const teams = await tx.query<{ team_id: string }>(
    `SELECT team_id FROM ${tx.schema}.lapse_memberships WHERE staff_id = $1 ORDER BY team_id`,
    [staffId],
  );
  return teams.map(({ team_id }) => team_id);
}

function recordLapse(
  deps: ProcessDependencies,
  cause: RecordedEvent,
  data: Lapse,
  tx: ProjectionTransaction,
  context?: (state: TeamState, base: TeamContext) => Promise<TeamContext>,
) {
  const command: RecordMemberQualificationLapse = { type: 'RecordMemberQualificationLapse', data };
  return sendCommand(
    deps,
    LAPSE_PROCESS,
    cause,
    { stream: teamStream(data.teamId), decider: teamDecider, command, context },
    tx,
  );
}

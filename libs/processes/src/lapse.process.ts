import {
  teamDecider,
  teamStream,
  type ReviewMemberStanding,
  type TeamContext,
  type TeamState,
} from '@cadre/domain';
import { loadJurisdictionRules, loadStaffSnapshots } from '@cadre/command-handling';
import { streamCategory, type EventStore, type Position, type RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import {
  PROCESSES_DDL_LOCK,
  PROCESSES_SCHEMA,
  REFUSALS_SQL,
  sendCommand,
  type ProcessDependencies,
} from './process-support.js';

/** The standing process keeps the lapse process's name and checkpoint: it goes on where that stopped. */
export const LAPSE_PROCESS = 'process-qualification-lapse';

/** What can change a member's answer, in their own stream. */
const STAFF_TRIGGERS = [
  'CertificationAwarded',
  'CertificationRenewed',
  'CertificationExpired',
  'CertificationSuspended',
  'CertificationReinstated',
  'CertificationRevoked',
  'StaffMemberLeft',
  'StaffMemberTransferred',
  'RecordVoided',
];
/**
 * What can change every answer in a jurisdiction: a rule when recorded, and a rule recorded ahead
 * of its `effectiveFrom` again when the schedule notices it took effect (reviewed then, its lapses
 * are dated `effectiveFrom`).
 */
const RULE_TRIGGERS = ['FrameworkAdopted', 'JurisdictionRequirementAdded', 'JurisdictionRuleTookEffect'];

/**
 * The standing process (decision 0010): whenever something that can change whether a member
 * meets their team role is recorded — a certification event or a void of one, a departure, a
 * transfer, a framework adoption or a jurisdiction requirement (and again when one recorded ahead
 * of its date takes effect), or the assignment itself — it asks the team decider to review each
 * member concerned (`ReviewMemberStanding`), with the member's history and the rules as the log
 * stood at that event's position, judged at its record time. The decider records `MemberLapsed` or `MemberRequalified` where the one rule's answer
 * changed, so an assignment back-dated or racing a revocation is judged too, and a replay
 * records nothing twice. It keeps who serves where (`lapse_memberships`) and each team's
 * jurisdiction (`lapse_teams`) from the team events, in log order.
 *
 * Version 1 still, the lapse process's: a version change would replay the whole log and record,
 * today, standings of years ago. A deployed log is brought in line once by `cadre standings:reconcile`.
 */
export function lapseProcess(deps: ProcessDependencies): Projection {
  return {
    name: LAPSE_PROCESS,
    version: 1,
    handles: [
      'TeamFormed',
      'MemberAssigned',
      'MemberReleased',
      'TeamDissolved',
      ...STAFF_TRIGGERS,
      ...RULE_TRIGGERS,
    ],
    tables: ['lapse_memberships', 'lapse_teams'],
    schema: PROCESSES_SCHEMA,
    createTables: async (tx, schema) => {
      await tx.query(PROCESSES_DDL_LOCK);
      await tx.query(REFUSALS_SQL(schema));
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.lapse_memberships (
           staff_id text NOT NULL, team_id text NOT NULL, PRIMARY KEY (staff_id, team_id))`,
      );
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.lapse_teams (
           team_id text PRIMARY KEY, jurisdiction text NOT NULL);
         CREATE INDEX IF NOT EXISTS lapse_teams_by_jurisdiction ON ${schema}.lapse_teams (jurisdiction)`,
      );
    },
    apply: async (events, tx) => {
      const memberships = `${tx.schema}.lapse_memberships`;
      const teams = `${tx.schema}.lapse_teams`;
      for (const event of events as readonly RecordedEvent<string, Record<string, string>>[]) {
        const { staffId, teamId } = event.data;
        switch (event.type) {
          case 'TeamFormed':
            await tx.query(`INSERT INTO ${teams} VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
              teamId,
              event.data.jurisdiction,
            ]);
            break;
          case 'MemberAssigned':
            await tx.query(`INSERT INTO ${memberships} VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
              staffId,
              teamId,
            ]);
            await review(deps, event, teamId, staffId, tx);
            break;
          case 'MemberReleased':
            await tx.query(`DELETE FROM ${memberships} WHERE staff_id = $1 AND team_id = $2`, [
              staffId,
              teamId,
            ]);
            break;
          case 'TeamDissolved':
            await tx.query(`DELETE FROM ${memberships} WHERE team_id = $1`, [teamId]);
            await tx.query(`DELETE FROM ${teams} WHERE team_id = $1`, [teamId]);
            break;
          default:
            for (const { team_id, staff_id } of await concerned(tx, event))
              await review(deps, event, team_id, staff_id, tx);
        }
      }
    },
  };
}

/** The memberships an event can change: the member's own, or every one in the jurisdiction. */
async function concerned(
  tx: ProjectionTransaction,
  event: RecordedEvent,
): Promise<{ team_id: string; staff_id: string }[]> {
  const category = streamCategory(event.stream);
  if (category === 'staff') {
    return tx.query(
      `SELECT team_id, staff_id FROM ${tx.schema}.lapse_memberships WHERE staff_id = $1 ORDER BY team_id`,
      [event.stream.slice('staff-'.length)],
    );
  }
  if (category === 'jurisdiction') {
    return tx.query(
      `SELECT m.team_id, m.staff_id FROM ${tx.schema}.lapse_memberships m
       JOIN ${tx.schema}.lapse_teams t USING (team_id)
       WHERE t.jurisdiction = $1 ORDER BY m.team_id, m.staff_id`,
      [event.stream.slice('jurisdiction-'.length)],
    );
  }
  return [];
}

/** Asks the team decider to review one member, as the log stood at `cause`. */
function review(
  deps: ProcessDependencies,
  cause: RecordedEvent,
  teamId: string,
  staffId: string,
  tx: ProjectionTransaction,
) {
  const command: ReviewMemberStanding = {
    type: 'ReviewMemberStanding',
    data: { teamId, staffId, asOf: cause.recordedAt },
  };
  return sendCommand(
    deps,
    LAPSE_PROCESS,
    cause,
    {
      stream: teamStream(teamId),
      decider: teamDecider,
      command,
      context: standingContext(deps.store, staffId, cause.position),
    },
    tx,
  );
}

/**
 * What the team decider needs to review a member: the jurisdiction's rules and every member's
 * history, as the log stood at `upTo` (now when absent). Nothing is read for a review the decider
 * will not make (no such team, dissolved, the member released).
 */
export function standingContext(store: EventStore, staffId: string, upTo?: Position) {
  return async (state: TeamState, base: TeamContext): Promise<TeamContext> => {
    if (state.status === 'none' || state.status === 'dissolved' || !state.members[staffId]) return base;
    const [rules, members] = await Promise.all([
      loadJurisdictionRules(store, state.jurisdiction, upTo),
      loadStaffSnapshots(store, Object.keys(state.members), upTo),
    ]);
    return { ...base, rules, members };
  };
}

import { randomIds } from '@cadre/kernel';
import { teamDecider, teamStream, type ReviewMemberStanding, type TeamState } from '@cadre/domain';
import { decisionContext, handleCommand, loadAggregate } from '@cadre/command-handling';
import type { EventStore } from '@cadre/event-store';
import { readLog } from '@cadre/subscriptions';
import type pg from 'pg';
import { LAPSE_PROCESS, standingContext } from './lapse.process.js';
import { PROCESSES_SCHEMA, processActor } from './process-support.js';

/** The decision record a reconciliation names on every event it records. */
export const RECONCILIATION_REASON =
  'Reconciled with the one qualification rule at deploy (docs/decisions/0010-one-qualification-rule.md)';

export interface ReconciliationReport {
  readonly teams: number;
  readonly members: number;
  readonly lapsed: number;
  readonly requalified: number;
  readonly readinessLost: number;
  /** Each change recorded (or, in a dry run, that would be). */
  readonly changes: readonly { teamId: string; staffId: string; type: string; cause?: string }[];
}

/**
 * The one-off reconciliation of decision 0010: judges every current member of every team that is
 * not dissolved with the one rule at `now`, and where the recorded standing disagrees (a false
 * lapse of the old process, or a lapse it missed) records a requalification or a lapse with a
 * reason naming the decision record. Nothing is voided. A second run records nothing: the
 * recorded standing then agrees. It also gives the standing process the jurisdiction of the teams
 * formed before it kept them (`lapse_teams`), so rule changes reach those teams' members.
 */
export async function reconcileStandings(
  store: EventStore,
  pool: pg.Pool,
  options: { readonly now: () => Date; readonly dryRun?: boolean; readonly onTeam?: () => void },
): Promise<ReconciliationReport> {
  const teamIds = await formedTeams(store);
  const changes: { teamId: string; staffId: string; type: string; cause?: string }[] = [];
  let members = 0;
  let live = 0;
  if (!options.dryRun) await requireProcessTables(pool);
  for (const teamId of teamIds) {
    const { state } = await loadAggregate(store, teamStream(teamId), teamDecider);
    options.onTeam?.();
    if (state.status === 'none' || state.status === 'dissolved') continue;
    live += 1;
    if (!options.dryRun) {
      await pool.query(`INSERT INTO ${PROCESSES_SCHEMA}.lapse_teams VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        teamId,
        state.jurisdiction,
      ]);
    }
    for (const staffId of Object.keys(state.members)) {
      members += 1;
      const recorded = await review(store, state, teamId, staffId, options);
      for (const event of recorded) {
        const cause = (event.data as { cause?: string }).cause;
        changes.push({ teamId, staffId, type: event.type, ...(cause ? { cause } : {}) });
      }
    }
  }
  const count = (type: string) => changes.filter((c) => c.type === type).length;
  return {
    teams: live,
    members,
    lapsed: count('MemberLapsed'),
    requalified: count('MemberRequalified'),
    readinessLost: count('TeamReadinessLost'),
    changes,
  };
}

async function review(
  store: EventStore,
  state: TeamState,
  teamId: string,
  staffId: string,
  options: { readonly now: () => Date; readonly dryRun?: boolean },
): Promise<readonly { type: string; data: unknown }[]> {
  const actor = processActor(`${LAPSE_PROCESS}:reconciliation`);
  const base = decisionContext(options.now(), actor);
  const now = base.now;
  const command: ReviewMemberStanding = {
    type: 'ReviewMemberStanding',
    data: { teamId, staffId, asOf: now },
    metadata: { reason: RECONCILIATION_REASON },
  };
  if (options.dryRun) {
    const context = await standingContext(store, staffId)(state, base);
    return teamDecider.decide(command, state, context);
  }
  const result = await handleCommand(
    store,
    { stream: teamStream(teamId), decider: teamDecider, command, context: standingContext(store, staffId) },
    { actor, correlationId: randomIds(), now: options.now },
  );
  return result.events;
}

/** Every team ever formed, in log order. */
export async function formedTeams(store: EventStore): Promise<string[]> {
  const teams: string[] = [];
  for await (const page of readLog(store, {
    filter: { eventTypePrefixes: ['TeamFormed'] },
    pageSize: 1000,
  })) {
    for (const event of page)
      if (event.type === 'TeamFormed') teams.push((event.data as { teamId: string }).teamId);
  }
  return teams;
}

/** The standing process's table of teams exists once a worker of this version has started. */
async function requireProcessTables(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ found: string | null }>(`SELECT to_regclass($1) AS found`, [
    `${PROCESSES_SCHEMA}.lapse_teams`,
  ]);
  if (!rows[0]?.found) {
    throw new Error(
      'The standing process has not started on this database yet: start a worker (or npm start) of this version first, then reconcile.',
    );
  }
}

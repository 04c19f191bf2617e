import { teamDecider, teamStream, type RecordMemberQualificationLapse } from '@cadre/domain';
import type { RecordedEvent } from '@cadre/event-store';
import type { Projection } from '../projection.js';
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

/**
 * A certification expires, is suspended or revoked → MemberQualificationLapsed on each team the
 * member serves (from a small table of memberships this process keeps from the team events, in
 * log order). The team decider records a lapse once per member and certification.
 */
export function lapseProcess(deps: ProcessDependencies): Projection {
  return {
    name: LAPSE_PROCESS,
    version: 1,
    handles: ['MemberAssigned', 'MemberReleased', 'TeamDissolved', ...Object.keys(CAUSES)],
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
          default: {
            const cause = CAUSES[event.type as keyof typeof CAUSES];
            const teams = await tx.query<{ team_id: string }>(
              `SELECT team_id FROM ${table} WHERE staff_id = $1 ORDER BY team_id`,
              [staffId],
            );
            for (const { team_id } of teams) {
              const command: RecordMemberQualificationLapse = {
                type: 'RecordMemberQualificationLapse',
                data: { teamId: team_id, staffId, certificationId, cause },
              };
              await sendCommand(
                deps,
                LAPSE_PROCESS,
                event,
                { stream: teamStream(team_id), decider: teamDecider, command },
                tx,
              );
            }
          }
        }
      }
    },
  };
}

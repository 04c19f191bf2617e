import {
  passedParticipants,
  sessionDecider,
  sessionStream,
  staffDecider,
  staffStream,
  type AwardCertification,
  type SessionClosed,
  type StaffContext,
} from '@cadre/domain';
import { loadAggregate, loadFrameworkInForce, type RecordedEvent } from '@cadre/event-store';
import type { Projection } from '../projection.js';
import {
  PROCESSES_DDL_LOCK,
  PROCESSES_SCHEMA,
  REFUSALS_SQL,
  sendCommand,
  type ProcessDependencies,
} from './process-support.js';

export const AWARD_ON_CLOSE = 'process-award-on-close';

/**
 * A session closes → each participant who passed is awarded every competency the session granted,
 * valid from the close, with the session and the assessment's event id as evidence; the causation
 * id of each award is the closing event. The staff decider awards a given evidence once, so a
 * batch applied again (at least once) awards nothing twice.
 */
export function awardOnCloseProcess(deps: ProcessDependencies): Projection {
  return {
    name: AWARD_ON_CLOSE,
    version: 1,
    handles: ['SessionClosed'],
    tables: [],
    schema: PROCESSES_SCHEMA,
    createTables: async (tx, schema) => {
      await tx.query(PROCESSES_DDL_LOCK);
      await tx.query(REFUSALS_SQL(schema));
    },
    apply: async (events, tx) => {
      for (const event of events as readonly RecordedEvent<'SessionClosed', SessionClosed['data']>[]) {
        const { state: session } = await loadAggregate(
          deps.store,
          sessionStream(event.data.sessionId),
          sessionDecider,
        );
        if (session.status === 'none') continue;
        const validFrom = event.metadata.occurredAt;
        for (const { staffId, assessmentEventId } of passedParticipants(session)) {
          if (!assessmentEventId) continue;
          for (const { competency, level } of session.competencies) {
            const command: AwardCertification = {
              type: 'AwardCertification',
              data: {
                staffId,
                competency,
                level,
                validFrom,
                evidence: { kind: 'session', sessionId: session.sessionId, assessmentEventId },
              },
            };
            await sendCommand(
              deps,
              AWARD_ON_CLOSE,
              event,
              {
                stream: staffStream(staffId),
                decider: staffDecider,
                command,
                context: async (state, base): Promise<StaffContext> =>
                  state.status === 'unregistered'
                    ? base
                    : {
                        ...base,
                        framework: await loadFrameworkInForce(deps.store, state.jurisdiction, validFrom),
                      },
              },
              tx,
            );
          }
        }
      }
    },
  };
}

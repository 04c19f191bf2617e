import {
  assessedParticipant,
  passedParticipants,
  sessionDecider,
  sessionStream,
  staffDecider,
  staffStream,
  type AwardCertification,
  type RecordVoided,
  type SessionClosed,
  type StaffContext,
  type VoidAssessmentAwards,
} from '@cadre/domain';
import { loadAggregate, loadFrameworkInForce } from '@cadre/command-handling';
import { streamCategory, type RecordedEvent } from '@cadre/event-store';
import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import {
  PROCESSES_DDL_LOCK,
  PROCESSES_SCHEMA,
  REFUSALS_SQL,
  sendCommand,
  type ProcessDependencies,
} from './process-support.js';

export const AWARD_ON_CLOSE = 'process-award-on-close';

type AssessmentVoided = RecordedEvent<'RecordVoided', RecordVoided['data']>;

/**
 * A session closes → each participant who passed is awarded every competency the session granted,
 * valid from the close, with the session and the assessment's event id as evidence; the causation
 * id of each award is the closing event. The staff decider awards a given evidence once, so a
 * batch applied again (at least once) awards nothing twice.
 *
 * An assessment of a closed session is voided → every award and renewal resting on it is voided
 * too (caused by that void, with its reason): no certification without evidence. One process, in
 * log order, so a void is always seen after the awards of the close before it; and an award
 * decided after the void reads the session as it is, without the voided pass.
 */
export function awardOnCloseProcess(deps: ProcessDependencies): Projection {
  return {
    name: AWARD_ON_CLOSE,
    version: 1,
    handles: ['SessionClosed', 'RecordVoided'],
    tables: [],
    schema: PROCESSES_SCHEMA,
    createTables: async (tx, schema) => {
      await tx.query(PROCESSES_DDL_LOCK);
      await tx.query(REFUSALS_SQL(schema));
    },
    apply: async (events, tx) => {
      for (const event of events) {
        if (event.type === 'SessionClosed') {
          await awardOnClose(deps, event as RecordedEvent<'SessionClosed', SessionClosed['data']>, tx);
        } else if (isAssessmentVoid(event)) {
          await voidAwardsOfAssessment(deps, event, tx);
        }
      }
    },
  };
}

async function awardOnClose(
  deps: ProcessDependencies,
  event: RecordedEvent<'SessionClosed', SessionClosed['data']>,
  tx: ProjectionTransaction,
): Promise<void> {
  const { state: session } = await loadAggregate(
    deps.store,
    sessionStream(event.data.sessionId),
    sessionDecider,
  );
  if (session.status === 'none') return;
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

function isAssessmentVoid(event: RecordedEvent): event is AssessmentVoided {
  const data = event.data as Partial<RecordVoided['data']>;
  return (
    event.type === 'RecordVoided' &&
    data.targetType === 'AssessmentRecorded' &&
    streamCategory(event.stream) === 'session'
  );
}

/** Only a closed session's passes were awarded: an open one has nothing to take back. */
async function voidAwardsOfAssessment(
  deps: ProcessDependencies,
  event: AssessmentVoided,
  tx: ProjectionTransaction,
): Promise<void> {
  const { state: session } = await loadAggregate(deps.store, event.stream, sessionDecider);
  if (session.status !== 'closed') return;
  const { targetEventId: assessmentEventId, reason } = event.data;
  const staffId = assessedParticipant(session, assessmentEventId);
  if (!staffId) return;
  const command: VoidAssessmentAwards = {
    type: 'VoidAssessmentAwards',
    data: { staffId, sessionId: session.sessionId, assessmentEventId, reason },
  };
  await sendCommand(
    deps,
    AWARD_ON_CLOSE,
    event,
    { stream: staffStream(staffId), decider: staffDecider, command },
    tx,
  );
}

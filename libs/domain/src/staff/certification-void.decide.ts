import { checkVoid, type VoidableRecord, type VoidRecord } from '../shared/corrections.js';
import { eventFactory, type DecisionContext } from '../shared/decider.js';
import { requireText } from '../shared/validation.js';
import type { VoidAssessmentAwards } from './staff.commands.js';
import { staffStream, type StaffEvent } from './staff.events.js';
import type { StaffRecord } from './staff.state.js';

const AWARDED = 'CertificationAwarded';
const RENEWED = 'CertificationRenewed';

/** Each award and renewal of the member, with the evidence it rests on. */
function records(state: StaffRecord) {
  return Object.values(state.certifications).flatMap((c) =>
    c.periods.flatMap((p, i) =>
      p.eventId === null
        ? []
        : [
            {
              eventId: p.eventId,
              type: i === 0 ? AWARDED : RENEWED,
              voided: i === 0 ? c.voided : p.voided || c.voided,
              evidence: p.evidence,
            },
          ],
    ),
  );
}

/** Voids one award or renewal, named by its event id. */
export function decideVoidRecord(
  command: VoidRecord,
  state: StaffRecord,
  context: DecisionContext,
): StaffEvent[] {
  const voidable: VoidableRecord[] = records(state);
  const { targetType, reason } = checkVoid(command, voidable, [AWARDED, RENEWED]);
  return [voided(command, state, context, command.data.targetEventId, targetType, reason)];
}

/**
 * Voids every award and renewal that rests on an assessment since voided in its session: the
 * evidence is gone, so the certification (or the validity the renewal added) never counted.
 * Nothing rests on it, or it was voided already: nothing to record, so the award process may
 * send this again.
 */
export function decideVoidAssessmentAwards(
  command: VoidAssessmentAwards,
  state: StaffRecord,
  context: DecisionContext,
): StaffEvent[] {
  const { sessionId, assessmentEventId } = command.data;
  const reason = `The assessment it rested on was voided: ${requireText(command.data.reason, 'reason')}`;
  return records(state)
    .filter(
      ({ evidence, voided: done }) =>
        !done &&
        evidence.kind === 'session' &&
        evidence.sessionId === sessionId &&
        evidence.assessmentEventId === assessmentEventId,
    )
    .map(({ eventId, type }) => voided(command, state, context, eventId, type, reason));
}

function voided(
  command: VoidRecord | VoidAssessmentAwards,
  state: StaffRecord,
  context: DecisionContext,
  targetEventId: string,
  targetType: string,
  reason: string,
): StaffEvent {
  const emit = eventFactory<StaffEvent>(command, context);
  const event = emit('RecordVoided', {
    stream: staffStream(state.staffId),
    targetEventId,
    targetType,
    reason,
  });
  // The envelope keeps the reason of every corrective event.
  return { ...event, metadata: { ...event.metadata, reason } };
}

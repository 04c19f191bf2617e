import { isManagerOf } from '../shared/actor.js';
import {
  eventFactory,
  type Decider,
  type DecisionContext,
  type DomainCommand,
  type DomainEvent,
} from '../shared/decider.js';
import { DomainConflictError, DomainForbiddenError, DomainNotFoundError } from '../shared/domain-errors.js';

/**
 * A manager acknowledges a lapse in their inbox: a fact of its own, on `lapse-<lapseId>` (the
 * lapse is the MemberQualificationLapsed event it names), so a team's stream is not contended for
 * it and a lapse is acknowledged once.
 */
export type LapseAcknowledged = DomainEvent<
  'LapseAcknowledged',
  {
    readonly lapseId: string;
    readonly teamId: string;
    /** Null for a team's lost readiness, which names no member. */
    readonly staffId: string | null;
    readonly certificationId: string | null;
    readonly acknowledgedBy: string;
    readonly note: string | null;
  }
>;

export type AcknowledgeLapse = DomainCommand<
  'AcknowledgeLapse',
  { readonly lapseId: string; readonly note?: string | null }
>;

/** The lapse as recorded on its team's stream, read by the handler (null when there is none). */
export interface LapseAcknowledgementContext extends DecisionContext {
  readonly lapse: {
    readonly teamId: string;
    readonly jurisdiction: string;
    readonly staffId: string | null;
    readonly certificationId: string | null;
  } | null;
}

export type LapseAcknowledgementState =
  { readonly status: 'open' } | { readonly status: 'acknowledged'; readonly by: string; readonly at: string };

export const lapseStream = (lapseId: string): string => `lapse-${lapseId}`;

export const lapseAcknowledgementDecider: Decider<
  AcknowledgeLapse,
  LapseAcknowledged,
  LapseAcknowledgementState,
  LapseAcknowledgementContext
> = {
  initialState: () => ({ status: 'open' }),
  evolve: (_state, event) => ({
    status: 'acknowledged',
    by: event.data.acknowledgedBy,
    at: event.metadata?.occurredAt ?? '',
  }),
  decide: (command, state, context) => {
    const { lapse, actor } = context;
    if (!lapse) {
      throw new DomainNotFoundError('LAPSE.NOT_FOUND', 'There is no lapse with that id.', {
        lapseId: command.data.lapseId,
      });
    }
    if (!isManagerOf(actor, lapse.jurisdiction) && !actor.roles.includes('admin')) {
      throw new DomainForbiddenError(
        'LAPSE.NOT_A_MANAGER',
        `Only a manager of ${lapse.jurisdiction} (or an admin) acknowledges this lapse.`,
        { jurisdiction: lapse.jurisdiction },
      );
    }
    if (state.status === 'acknowledged') {
      throw new DomainConflictError(
        'LAPSE.ALREADY_ACKNOWLEDGED',
        `This lapse was acknowledged by ${state.by}.`,
        {
          acknowledgedBy: state.by,
          acknowledgedAt: state.at,
        },
      );
    }
    const emit = eventFactory<LapseAcknowledged>(command, context);
    return [
      emit('LapseAcknowledged', {
        lapseId: command.data.lapseId,
        teamId: lapse.teamId,
        staffId: lapse.staffId,
        certificationId: lapse.certificationId,
        acknowledgedBy: actor.sub,
        note: command.data.note ?? null,
      }),
    ];
  },
};

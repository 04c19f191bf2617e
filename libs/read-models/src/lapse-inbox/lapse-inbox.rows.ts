import type { RecordedEvent } from '@cadre/event-store';

/**
 * A line of the inbox: a lapse (MemberLapsed, or a MemberQualificationLapsed recorded before
 * decision 0010) or a team's lost readiness (TeamReadinessLost), and its acknowledgement once
 * recorded; a lapse closes when the member is requalified.
 */
export interface LapseRow {
  readonly lapseId: string;
  readonly kind: 'member-lapsed' | 'readiness-lost';
  readonly teamId: string;
  readonly staffId: string | null;
  readonly teamRole: string | null;
  /** The certification that met the first unmet requirement, if any held one. */
  readonly certificationId: string | null;
  readonly competency: string | null;
  readonly cause: string;
  /** Since when (business time): the lapse's `since`, or the event's occurredAt. */
  readonly since: string;
  /** What is unmet (requirements) or missing (disciplines), as recorded. */
  readonly unmet: unknown;
  readonly detail: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

export interface AcknowledgementRow {
  readonly lapseId: string;
  readonly acknowledgedBy: string;
  readonly acknowledgedAt: string;
  readonly note: string | null;
}

/** The events that open an inbox line. */
export const INBOX_EVENTS = ['MemberQualificationLapsed', 'MemberLapsed', 'TeamReadinessLost'];

type Unmet = { competency: string; held: { certificationId: string } | null };

/** The row a lapse event gives (its id is the event's: what the acknowledgement names). */
export const lapseRow = (event: RecordedEvent): LapseRow => {
  const { occurredAt } = event.metadata;
  const common = { lapseId: event.eventId, occurredAt, recordedAt: event.recordedAt, detail: null };
  if (event.type === 'TeamReadinessLost') {
    const d = event.data as { teamId: string; since: string; missing: unknown; agenciesMissing: unknown };
    return {
      ...common,
      kind: 'readiness-lost',
      teamId: d.teamId,
      staffId: null,
      teamRole: null,
      certificationId: null,
      competency: null,
      cause: 'readiness-lost',
      since: d.since,
      unmet: { missing: d.missing, agenciesMissing: d.agenciesMissing },
    };
  }
  if (event.type === 'MemberLapsed') {
    const d = event.data as {
      teamId: string;
      staffId: string;
      teamRole: string;
      since: string;
      cause: string;
      unmet: Unmet[];
      detail: string | null;
    };
    const [first] = d.unmet;
    return {
      ...common,
      kind: 'member-lapsed',
      teamId: d.teamId,
      staffId: d.staffId,
      teamRole: d.teamRole,
      certificationId: first?.held?.certificationId ?? null,
      competency: first?.competency ?? null,
      cause: d.cause,
      since: d.since,
      unmet: d.unmet,
      detail: d.detail,
    };
  }
  const d = event.data as { teamId: string; staffId: string; certificationId: string; cause: string };
  return {
    ...common,
    kind: 'member-lapsed',
    teamId: d.teamId,
    staffId: d.staffId,
    teamRole: null,
    certificationId: d.certificationId,
    competency: null,
    cause: d.cause,
    since: occurredAt,
    unmet: [],
  };
};

export const acknowledgementRow = (event: RecordedEvent): AcknowledgementRow => {
  const d = event.data as { lapseId: string; acknowledgedBy: string; note: string | null };
  return {
    lapseId: d.lapseId,
    acknowledgedBy: d.acknowledgedBy,
    acknowledgedAt: event.metadata.occurredAt,
    note: d.note ?? null,
  };
};

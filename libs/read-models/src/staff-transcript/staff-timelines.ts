import { levelRank, type Level } from '@cadre/domain';
import type { RecordedEvent } from '@cadre/event-store';
import { byOccurrence, mergeSegments } from './timeline-segments.js';
import type { Fact, Segment, TimelineSpec } from './timeline-segments.js';
import { columnsOf } from '../bitemporal/sql-rows.js';

const staffIdOf = (event: RecordedEvent): string => String((event.data as { staffId?: unknown }).staffId);
const iso = (value: unknown): string => new Date(String(value)).toISOString();

/** Builds segments from change points `(at, state)` in business-time order: each holds until the next. */
function fromChanges<State>(changes: readonly { at: string; state: State | null }[]): Segment<State>[] {
  const segments: Segment<State>[] = [];
  changes.forEach((change, i) => {
    const next = changes.slice(i + 1).find((c) => c.at > change.at);
    if (change.state === null || changes.slice(i + 1).some((c) => c.at === change.at)) return;
    segments.push({ validFrom: change.at, validTo: next?.at ?? null, state: change.state });
  });
  return mergeSegments(segments);
}

// ---- Members: placement, role and status over business time --------------------------------------

export interface MemberState {
  readonly staffId: string;
  readonly agency: string;
  readonly jurisdiction: string;
  readonly institution: string;
  readonly role: string;
  readonly status: 'active' | 'left';
}

export const MEMBER_EVENTS = [
  'StaffMemberRegistered',
  'StaffMemberRoleChanged',
  'StaffMemberTransferred',
  'StaffMemberLeft',
];

/** Who a staff member was (placement, role, active or left) over business time; key: staffId. */
export const memberTimeline: TimelineSpec<MemberState> = {
  table: 'members',
  columns: columnsOf({
    staff_id: 'text',
    agency: 'text',
    jurisdiction: 'text',
    institution: 'text',
    role: 'text',
    status: 'text',
  }),
  keysOf: (event) => (MEMBER_EVENTS.includes(event.type) ? [staffIdOf(event)] : []),
  timeline: (facts) => {
    let state: MemberState | null = null;
    const changes = byOccurrence(facts).map((fact) => {
      state = evolveMember(state, fact);
      return { at: fact.occurredAt, state };
    });
    return fromChanges(changes);
  },
  values: (_key, s) => [s.staffId, s.agency, s.jurisdiction, s.institution, s.role, s.status],
};

function evolveMember(state: MemberState | null, fact: Fact): MemberState | null {
  const d = fact.data as Record<string, string>;
  if (fact.type === 'StaffMemberRegistered') {
    return {
      staffId: d.staffId!,
      agency: d.agency!,
      jurisdiction: d.jurisdiction!,
      institution: d.institution!,
      role: d.role!,
      status: 'active',
    };
  }
  if (!state) return state;
  if (fact.type === 'StaffMemberRoleChanged') return { ...state, role: d.role! };
  if (fact.type === 'StaffMemberTransferred')
    return { ...state, agency: d.agency!, jurisdiction: d.jurisdiction!, institution: d.institution! };
  if (fact.type === 'StaffMemberLeft') return { ...state, status: 'left' };
  return state;
}

// ---- Certifications: validity over business time, by the clock ---------------------------------

export type CertificationStatus = 'valid' | 'window-open' | 'expired' | 'suspended' | 'revoked';

export interface CertificationState {
  readonly staffId: string;
  readonly certificationId: string;
  readonly competency: string;
  readonly level: string;
  readonly status: CertificationStatus;
  readonly certifiedFrom: string;
  readonly certifiedUntil: string;
  readonly windowOpensAt: string;
  readonly evidence: unknown;
  readonly frameworkVersion: string;
}

interface Terms {
  readonly base: Omit<CertificationState, 'status'>;
  readonly suspended: boolean;
  readonly revoked: boolean;
}

export const CERTIFICATION_EVENTS = [
  'CertificationAwarded',
  'CertificationRenewed',
  'CertificationSuspended',
  'CertificationReinstated',
  'CertificationRevoked',
];

/**
 * A certification's status over business time; key: certificationId. It counts from `validFrom`
 * until the instant `validUntil` by the clock (expired from then, whether or not
 * CertificationExpired was recorded: notices are not facts here), in its window from
 * `windowOpensAt`; a renewal extends it from the renewal on; suspension, reinstatement and
 * revocation take effect when they occurred.
 */
export const certificationTimeline: TimelineSpec<CertificationState> = {
  table: 'certifications',
  columns: columnsOf({
    staff_id: 'text',
    certification_id: 'text',
    competency: 'text',
    level: 'text',
    level_rank: 'int',
    status: 'text',
    certified_from: 'timestamptz',
    certified_until: 'timestamptz',
    window_opens_at: 'timestamptz',
    evidence: 'jsonb',
    framework_version: 'text',
  }),
  keysOf: (event) =>
    CERTIFICATION_EVENTS.includes(event.type)
      ? [String((event.data as { certificationId: unknown }).certificationId)]
      : [],
  timeline: (facts) => {
    const changes: { at: string; terms: Terms | null }[] = [];
    let terms: Terms | null = null;
    for (const fact of byOccurrence(facts)) {
      const d = fact.data;
      let at = fact.occurredAt;
      if (fact.type === 'CertificationAwarded') {
        at = iso(d.validFrom);
        terms = {
          base: {
            staffId: String(d.staffId),
            certificationId: String(d.certificationId),
            competency: String(d.competency),
            level: String(d.level),
            certifiedFrom: iso(d.validFrom),
            certifiedUntil: iso(d.validUntil),
            windowOpensAt: iso(d.windowOpensAt),
            evidence: d.evidence ?? null,
            frameworkVersion: String(d.frameworkVersion),
          },
          suspended: false,
          revoked: false,
        };
      } else if (!terms) {
        continue;
      } else {
        terms = evolveTerms(terms, fact);
      }
      changes.push({ at, terms });
    }
    changes.sort((a, b) => a.at.localeCompare(b.at));
    // The clock is a change point too: the window opening and the expiry of each set of terms.
    const instants = [
      ...new Set([
        ...changes.map((c) => c.at),
        ...changes.flatMap((c) => (c.terms ? [c.terms.base.windowOpensAt, c.terms.base.certifiedUntil] : [])),
      ]),
    ]
      .filter((at) => changes.length > 0 && at >= changes[0]!.at)
      .sort();
    const segments = instants.map((at, i) => {
      const inForce = changes.filter((c) => c.at <= at).pop()!.terms!;
      return {
        validFrom: at,
        validTo: instants[i + 1] ?? null,
        state: { ...inForce.base, status: statusAt(inForce, at) },
      };
    });
    return mergeSegments(segments);
  },
  values: (_key, s) => [
    s.staffId,
    s.certificationId,
    s.competency,
    s.level,
    levelRank(s.level as Level),
    s.status,
    s.certifiedFrom,
    s.certifiedUntil,
    s.windowOpensAt,
    s.evidence,
    s.frameworkVersion,
  ],
};

function evolveTerms(terms: Terms, fact: Fact): Terms {
  const d = fact.data;
  switch (fact.type) {
    case 'CertificationRenewed':
      return {
        ...terms,
        base: {
          ...terms.base,
          certifiedFrom: iso(d.validFrom),
          certifiedUntil: iso(d.validUntil),
          windowOpensAt: iso(d.windowOpensAt),
          evidence: d.evidence ?? terms.base.evidence,
          frameworkVersion: String(d.frameworkVersion ?? terms.base.frameworkVersion),
        },
      };
    case 'CertificationSuspended':
      return { ...terms, suspended: true };
    case 'CertificationReinstated':
      return { ...terms, suspended: false };
    case 'CertificationRevoked':
      return { ...terms, revoked: true };
    default:
      return terms;
  }
}

function statusAt(terms: Terms, at: string): CertificationStatus {
  if (terms.revoked) return 'revoked';
  if (terms.suspended) return 'suspended';
  if (at >= terms.base.certifiedUntil) return 'expired';
  if (at >= terms.base.windowOpensAt) return 'window-open';
  return 'valid';
}

// ---- Trainings: a person's enrolment, attendance and assessment in a session --------------------

export interface TrainingState {
  readonly staffId: string;
  readonly sessionId: string;
  readonly enrolment: 'enrolled' | 'withdrawn' | null;
  readonly attendance: string | null;
  readonly hours: number | null;
  readonly result: string | null;
  readonly score: number | null;
}

export const TRAINING_EVENTS = [
  'ParticipantEnrolled',
  'ParticipantWithdrawn',
  'AttendanceRecorded',
  'AssessmentRecorded',
];

/** A person's record in one session over business time; key: `<sessionId>/<staffId>`. */
export const trainingTimeline: TimelineSpec<TrainingState> = {
  table: 'trainings',
  columns: columnsOf({
    staff_id: 'text',
    session_id: 'text',
    enrolment: 'text',
    attendance: 'text',
    hours: 'jsonb',
    result: 'text',
    score: 'jsonb',
  }),
  keysOf: (event) => {
    if (!TRAINING_EVENTS.includes(event.type)) return [];
    const d = event.data as { sessionId: string; staffId: string };
    return [`${d.sessionId}/${d.staffId}`];
  },
  timeline: (facts) => {
    let state: TrainingState | null = null;
    const changes = byOccurrence(facts).map((fact) => {
      const d = fact.data;
      const base: TrainingState = state ?? {
        staffId: String(d.staffId),
        sessionId: String(d.sessionId),
        enrolment: null,
        attendance: null,
        hours: null,
        result: null,
        score: null,
      };
      if (fact.type === 'ParticipantEnrolled') state = { ...base, enrolment: 'enrolled' };
      else if (fact.type === 'ParticipantWithdrawn') state = { ...base, enrolment: 'withdrawn' };
      else if (fact.type === 'AttendanceRecorded')
        state = { ...base, attendance: String(d.attendance), hours: Number(d.hours) };
      else if (fact.type === 'AssessmentRecorded')
        state = { ...base, result: String(d.result), score: d.score === null ? null : Number(d.score) };
      return { at: fact.occurredAt, state };
    });
    return fromChanges(changes);
  },
  values: (_key, s) => [s.staffId, s.sessionId, s.enrolment, s.attendance, s.hours, s.result, s.score],
};

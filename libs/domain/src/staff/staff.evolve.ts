import { assertNever } from '../shared/decider.js';
import type { StaffEvent } from './staff.events.js';
import type { Certification, StaffRecord, StaffState, ValidityPeriod } from './staff.state.js';

export const initialStaffState = (): StaffState => ({ status: 'unregistered' });

/** Events folded without an envelope (specs) take effect from the beginning. */
const EPOCH = '1970-01-01T00:00:00.000Z';

export function evolveStaff(state: StaffState, event: StaffEvent): StaffState {
  const at = event.metadata?.occurredAt ?? EPOCH;
  if (event.type === 'StaffMemberRegistered') {
    const { staffId, agency, jurisdiction, institution, role } = event.data;
    const record = {
      staffId,
      agency,
      jurisdiction,
      institution,
      role,
      personalDataErased: false,
      certifications: {},
      placements: [{ from: at, agency, jurisdiction, institution, status: 'active' as const }],
    };
    return { status: 'active', ...record };
  }
  if (state.status === 'unregistered') return state;
  const eventId = event.metadata?.eventId ?? null;
  switch (event.type) {
    case 'StaffMemberRoleChanged':
      return { ...state, role: event.data.role };
    case 'StaffMemberTransferred': {
      const { agency, jurisdiction, institution } = event.data;
      const span = { from: at, agency, jurisdiction, institution, status: 'active' as const };
      return { ...state, agency, jurisdiction, institution, placements: [...state.placements, span] };
    }
    case 'StaffMemberLeft': {
      const { agency, jurisdiction, institution } = state;
      const span = { from: at, agency, jurisdiction, institution, status: 'left' as const };
      return { ...state, status: 'left', placements: [...state.placements, span] };
    }
    case 'StaffPersonalDataErased':
      return { ...state, personalDataErased: true };
    case 'CertificationAwarded': {
      const { certificationId, competency, level } = event.data;
      const certification: Certification = {
        certificationId,
        competency,
        level,
        status: 'active',
        voided: false,
        periods: [period(event.data, eventId)],
        statusChanges: [],
      };
      return withCertification(state, certification);
    }
    case 'CertificationRenewed':
      return changeCertification(state, event.data.certificationId, (c) => ({
        ...c,
        periods: [...c.periods, period(event.data, eventId)],
      }));
    case 'RecertificationWindowOpened':
      return changeCurrentPeriod(state, event.data.certificationId, { windowOpened: true });
    case 'CertificationExpiryWarned':
      return changeCurrentPeriod(state, event.data.certificationId, { expiryWarned: true });
    case 'CertificationExpired':
      return changeCurrentPeriod(state, event.data.certificationId, { expired: true });
    case 'CertificationSuspended':
      return changeStatus(state, event.data.certificationId, 'suspended', at);
    case 'CertificationReinstated':
      return changeStatus(state, event.data.certificationId, 'active', at);
    case 'CertificationRevoked':
      return changeStatus(state, event.data.certificationId, 'revoked', at);
    case 'RecordVoided':
      return voidRecord(state, event.data.targetEventId);
    default:
      return assertNever(event);
  }
}

type Live = Extract<StaffState, StaffRecord>;

function period(
  data: Pick<ValidityPeriod, 'validFrom' | 'validUntil' | 'windowOpensAt' | 'evidence' | 'frameworkVersion'>,
  eventId: string | null,
): ValidityPeriod {
  const { validFrom, validUntil, windowOpensAt, evidence, frameworkVersion } = data;
  return {
    eventId,
    validFrom,
    validUntil,
    windowOpensAt,
    evidence,
    frameworkVersion,
    voided: false,
    windowOpened: false,
    expiryWarned: false,
    expired: false,
  };
}

function withCertification(state: Live, certification: Certification): Live {
  return {
    ...state,
    certifications: { ...state.certifications, [certification.certificationId]: certification },
  };
}

function changeCertification(state: Live, id: string, change: (c: Certification) => Certification): Live {
  const certification = state.certifications[id];
  return certification ? withCertification(state, change(certification)) : state;
}

function changeStatus(state: Live, id: string, status: Certification['status'], at: string): Live {
  return changeCertification(state, id, (c) => ({
    ...c,
    status,
    statusChanges: [...c.statusChanges, { at, status }],
  }));
}

function changeCurrentPeriod(state: Live, id: string, flags: Partial<ValidityPeriod>): Live {
  return changeCertification(state, id, (c) => {
    const index = c.periods.findLastIndex((p) => !p.voided);
    return { ...c, periods: c.periods.map((p, i) => (i === index ? { ...p, ...flags } : p)) };
  });
}

/** Voiding the award voids the certification; voiding a renewal restores the period before it. */
function voidRecord(state: Live, targetEventId: string): Live {
  for (const c of Object.values(state.certifications)) {
    const index = c.periods.findIndex((p) => p.eventId === targetEventId);
    if (index === 0) return withCertification(state, { ...c, voided: true });
    if (index > 0) {
      const periods = c.periods.map((p, i) => (i === index ? { ...p, voided: true } : p));
      return withCertification(state, { ...c, periods });
    }
  }
  return state;
}

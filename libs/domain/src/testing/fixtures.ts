import { fold } from '../shared/decider.js';
import type { Actor } from '@cadre/kernel';
import type { CompetencyLevels } from '../shared/validity.js';
import type { CertificationView } from '../shared/qualification.js';
import { staffMemberOf, type StaffMember, type StaffSnapshot } from '../staff/staff.state.js';
import { frameworkDecider, type FrameworkState } from '../framework/framework.decider.js';
import type { FrameworkEvent } from '../framework/framework.events.js';

/** A labelled sample framework for specs: not a real matrix (DOMAIN.md). */
export const SAMPLE_LEVELS: CompetencyLevels = {
  awareness: { validityMonths: 24, recertificationWindowDays: 60 },
  specialised: { validityMonths: 36, recertificationWindowDays: 90 },
  expert: { validityMonths: 36, recertificationWindowDays: 90 },
  trainer: { validityMonths: 24, recertificationWindowDays: 90 },
};

const ROLES = ['all-staff', 'manager', 'psychologist', 'probation-officer', 'security-officer', 'trainer'];
const COMPETENCIES = ['radicalisation-awareness', 'vep-risk-assessment', 'dynamic-security'];

export const sampleFrameworkEvents = (version = 'v1'): FrameworkEvent[] => [
  { type: 'FrameworkVersionDrafted', data: { version, title: 'Sample regional framework' } },
  ...ROLES.map((role): FrameworkEvent => ({ type: 'RoleDefined', data: { version, role, title: role } })),
  ...COMPETENCIES.map((competency): FrameworkEvent => ({
    type: 'CompetencyDefined',
    data: { version, competency, title: competency, levels: SAMPLE_LEVELS },
  })),
  {
    type: 'RoleRequirementDefined',
    data: { version, role: 'all-staff', competency: 'radicalisation-awareness', minLevel: 'awareness' },
  },
  {
    type: 'RoleRequirementDefined',
    data: { version, role: 'psychologist', competency: 'vep-risk-assessment', minLevel: 'specialised' },
  },
  { type: 'FrameworkVersionPublished', data: { version } },
];

export type PublishedFramework = Extract<FrameworkState, { status: 'published' }>;

export const sampleFramework = (version = 'v1'): PublishedFramework => {
  const state = fold(frameworkDecider, sampleFrameworkEvents(version));
  if (state.status !== 'published') throw new Error('the sample framework must be published');
  return state;
};

export const managerOf = (jurisdiction: string, sub = 'manager-1'): Actor => ({
  sub,
  roles: ['manager'],
  jurisdictions: [jurisdiction],
});

export const coordinatorOf = (jurisdiction: string, sub = 'coordinator-1'): Actor => ({
  sub,
  roles: ['training-coordinator'],
  jurisdictions: [jurisdiction],
});

/**
 * A staff snapshot for specs from where the person stands and what they hold, with a history to
 * match: placed so since `since`, each certification a single period, any status since `since`.
 */
export function staffSnapshotOf(
  person: StaffMember & { readonly certifications: readonly CertificationView[] },
  since = '2024-01-01T00:00:00.000Z',
): StaffSnapshot {
  const { status, agency, jurisdiction, institution, certifications } = person;
  return {
    ...staffMemberOf(person),
    certifications,
    placements: [{ from: since, agency, jurisdiction, institution, status }],
    certificationHistory: certifications.map((c) => ({
      certificationId: c.certificationId,
      competency: c.competency,
      level: c.level,
      voided: c.status === 'voided',
      periods: [{ validFrom: c.validFrom, validUntil: c.validUntil, voided: false }],
      statusChanges:
        c.status === 'suspended' || c.status === 'revoked' ? [{ at: since, status: c.status }] : [],
    })),
  };
}

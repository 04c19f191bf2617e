/**
 * The SAMPLE regional framework the demo data uses. DOMAIN.md: the source names no concrete
 * matrix, so this content is illustrative only — real deployments import their own.
 */
export const SAMPLE_FRAMEWORK_VERSION = 'v1';
export const SAMPLE_FRAMEWORK_TITLE =
  'SAMPLE regional training framework v1 (demo data — not an adopted standard)';
/** From when each jurisdiction adopts the sample (before every date the seed writes). */
export const SAMPLE_ADOPTED_FROM = '2020-01-01T00:00:00.000Z';

export type Level = 'awareness' | 'specialised' | 'expert' | 'trainer';
export type Agency = 'prison' | 'probation';

export const ROLES: readonly [code: string, title: string][] = [
  ['all-staff', 'All staff'],
  ['front-line-security-officer', 'Front-line security officer'],
  ['treatment-staff', 'Treatment staff'],
  ['probation-officer', 'Probation officer'],
  ['psychologist', 'Psychologist'],
  ['social-worker', 'Social worker'],
  ['educator', 'Educator'],
  ['religious-counsellor', 'Religious counsellor'],
  ['intelligence-officer', 'Intelligence officer'],
  ['manager', 'Manager'],
  ['trainer', 'Trainer'],
];

export const COMPETENCIES: readonly [code: string, title: string][] = [
  ['radicalisation-awareness', 'Radicalisation awareness'],
  ['dynamic-security', 'Dynamic security'],
  ['vep-risk-assessment', 'VEP risk and needs assessment'],
  ['disengagement-interventions', 'Disengagement and exit interventions'],
  ['multi-agency-working', 'Multi-agency working and information sharing'],
  ['post-release-supervision', 'Post-release supervision'],
  ['mental-health-screening', 'Mental-health screening'],
  ['ethics-and-human-rights', 'Ethics and human rights'],
];

/** Validity and recertification window per level (the same for every sample competency). */
export const LEVEL_POLICY: Record<Level, { validityMonths: number; recertificationWindowDays: number }> = {
  awareness: { validityMonths: 36, recertificationWindowDays: 90 },
  specialised: { validityMonths: 24, recertificationWindowDays: 60 },
  expert: { validityMonths: 24, recertificationWindowDays: 60 },
  trainer: { validityMonths: 24, recertificationWindowDays: 90 },
};

/** role → competency → minimum level; `all-staff` applies to everyone on top of their role's. */
export const REQUIREMENTS: readonly [role: string, competency: string, minLevel: Level][] = [
  ['all-staff', 'radicalisation-awareness', 'awareness'],
  ['front-line-security-officer', 'dynamic-security', 'specialised'],
  ['treatment-staff', 'disengagement-interventions', 'specialised'],
  ['probation-officer', 'post-release-supervision', 'specialised'],
  ['probation-officer', 'multi-agency-working', 'awareness'],
  ['psychologist', 'vep-risk-assessment', 'expert'],
  ['psychologist', 'mental-health-screening', 'specialised'],
  ['social-worker', 'multi-agency-working', 'specialised'],
  ['educator', 'disengagement-interventions', 'awareness'],
  ['religious-counsellor', 'disengagement-interventions', 'specialised'],
  ['intelligence-officer', 'vep-risk-assessment', 'specialised'],
  ['manager', 'multi-agency-working', 'specialised'],
  ['manager', 'ethics-and-human-rights', 'specialised'],
  ['trainer', 'dynamic-security', 'specialised'],
];

export const requirementsOf = (role: string): readonly [string, Level][] =>
  REQUIREMENTS.filter(([r]) => r === role || r === 'all-staff').map(([, c, l]) => [c, l]);

/** The six jurisdictions; Kosovo* always with its footnote. */
export const KOSOVO_FOOTNOTE =
  '*This designation is without prejudice to positions on status, and is in line with UNSCR 1244 and the ICJ Opinion on the Kosovo declaration of independence.';
export const JURISDICTIONS: readonly { code: string; name: string; city: string }[] = [
  { code: 'AL', name: 'Albania', city: 'Tirana' },
  { code: 'BA', name: 'Bosnia and Herzegovina', city: 'Sarajevo' },
  { code: 'XK', name: 'Kosovo*', city: 'Pristina' },
  { code: 'ME', name: 'Montenegro', city: 'Podgorica' },
  { code: 'MK', name: 'North Macedonia', city: 'Skopje' },
  { code: 'RS', name: 'Serbia', city: 'Belgrade' },
];

/** Role mix per agency (weights), trainers apart. */
export const ROLE_MIX: Record<Agency, readonly [role: string, weight: number][]> = {
  prison: [
    ['front-line-security-officer', 10],
    ['treatment-staff', 3],
    ['psychologist', 2],
    ['social-worker', 2],
    ['educator', 2],
    ['religious-counsellor', 1],
    ['intelligence-officer', 1],
    ['manager', 1],
  ],
  probation: [
    ['probation-officer', 8],
    ['psychologist', 1],
    ['social-worker', 2],
    ['manager', 1],
  ],
};

/** Programmes (regional): title, competency and level granted, kind, hours. */
export const PROGRAMMES: readonly {
  key: string;
  title: string;
  competencies: readonly [string, Level][];
  kind: 'awareness' | 'specialised' | 'train-the-trainer';
  hours: number;
  methodology: string;
}[] = [
  {
    key: 'awareness',
    title: 'SAMPLE — Radicalisation awareness and human rights for all staff',
    competencies: [
      ['radicalisation-awareness', 'awareness'],
      ['ethics-and-human-rights', 'awareness'],
    ],
    kind: 'awareness',
    hours: 8,
    methodology: 'One-day joint workshop for prison and probation staff, case studies (demo data)',
  },
  {
    key: 'dynamic-security',
    title: 'SAMPLE — Dynamic security in practice',
    competencies: [['dynamic-security', 'specialised']],
    kind: 'specialised',
    hours: 16,
    methodology: 'Two-day workshop with role plays (demo data)',
  },
  {
    key: 'risk-assessment',
    title: 'SAMPLE — VEP risk and needs assessment',
    competencies: [['vep-risk-assessment', 'specialised']],
    kind: 'specialised',
    hours: 24,
    methodology: 'Blended: e-learning module, then a three-day workshop (demo data)',
  },
  {
    key: 'multi-agency',
    title: 'SAMPLE — Multi-agency working and post-release supervision',
    competencies: [
      ['multi-agency-working', 'specialised'],
      ['post-release-supervision', 'specialised'],
    ],
    kind: 'specialised',
    hours: 16,
    methodology: 'Joint prison–probation workshop around a case file (demo data)',
  },
];

import fc from 'fast-check';
import { fold } from '../shared/decider.js';
import type { Agency } from '../shared/agencies.js';
import { LEVELS, type Level } from '../shared/levels.js';
import type { FrameworkDefinition } from '../shared/requirements.js';
import { addMonths, toInstant, toMillis } from '../shared/time.js';
import { frameworkDecider } from '../framework/framework.decider.js';
import type { FrameworkEvent } from '../framework/framework.events.js';
import { jurisdictionDecider } from '../jurisdiction/jurisdiction.decider.js';
import type { JurisdictionEvent } from '../jurisdiction/jurisdiction.events.js';
import type { StaffEvent } from '../staff/staff.events.js';
import { TEAM_KINDS, type TeamKind } from '../team/team.events.js';
import type { OracleVersion, PersonFact, RuleFact } from './qualification.oracle.js';

/**
 * Small generated histories for the qualification model test: 1–2 framework versions over 1–3
 * competencies, a jurisdiction's adoptions and additions, and a staff member's log. Each history
 * is built twice from the same choices: as plain facts for the oracle, and as the events the
 * production code folds (`evolve`), with the envelope's `eventId` and `occurredAt`.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The first record time of every log; the baseline framework is in force long before. */
export const BASE = Date.UTC(2025, 0, 1);
export const TEAM_JURISDICTION = 'AL';
export const TEAM_ROLES = ['psychologist', 'probation-officer'] as const;
export const AGENCIES: readonly Agency[] = ['prison', 'probation', 'police'];
const COMPETENCIES = ['c-risk', 'c-security', 'c-ethics'];
const ROLES = ['all-staff', ...TEAM_ROLES];
/** Short validities, so that expiries by the clock fall inside a log of a few weeks. */
const VALIDITY_MONTHS: Record<Level, number> = { awareness: 1, specialised: 2, expert: 3, trainer: 1 };

export interface World {
  readonly versions: Readonly<Record<string, OracleVersion>>;
  readonly frameworks: Readonly<Record<string, FrameworkDefinition>>;
  readonly competencies: readonly string[];
}

/** A requirement (or an excused violation) over the roles and competencies generated. */
export const requirementArb = (
  roles: readonly string[] = ROLES,
  competencies: readonly string[] = COMPETENCIES,
) =>
  fc.record({
    role: fc.constantFrom(...roles),
    competency: fc.constantFrom(...competencies),
    level: fc.constantFrom(...LEVELS),
  });

/** v1 defines both team roles; v2, if any, may drop one (a role withdrawn). */
export const worldArb: fc.Arbitrary<World> = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => {
    const competencies = COMPETENCIES.slice(0, n);
    const version = (roles: readonly string[], minLength = 0) =>
      fc.record({
        roles: fc.constant(['all-staff', ...roles]),
        // One requirement per role and competency, as the framework decider allows.
        requirements: fc.uniqueArray(requirementArb(['all-staff', ...roles], competencies), {
          minLength,
          maxLength: 3,
          selector: (r) => `${r.role}/${r.competency}`,
        }),
      });
    return fc.record({
      competencies: fc.constant(competencies),
      // The baseline requires something, or most answers would hang on barriers alone.
      v1: version(TEAM_ROLES, 1),
      v2: fc.option(
        fc.subarray([...TEAM_ROLES]).chain((roles) => version(roles)),
        { freq: 2 },
      ),
    });
  })
  .map(({ competencies, v1, v2 }) => {
    const versions: Record<string, OracleVersion> = v2 ? { v1, v2 } : { v1 };
    const frameworks = Object.fromEntries(
      Object.entries(versions).map(([name, v]) => [name, framework(name, v, competencies)]),
    );
    return { versions, frameworks, competencies };
  });

function framework(version: string, v: OracleVersion, competencies: readonly string[]): FrameworkDefinition {
  const levels = Object.fromEntries(
    LEVELS.map((level) => [level, { validityMonths: VALIDITY_MONTHS[level], recertificationWindowDays: 7 }]),
  );
  const events: FrameworkEvent[] = [
    { type: 'FrameworkVersionDrafted', data: { version, title: version } },
    ...v.roles.map((role): FrameworkEvent => ({ type: 'RoleDefined', data: { version, role, title: role } })),
    ...competencies.map((competency): FrameworkEvent => ({
      type: 'CompetencyDefined',
      data: { version, competency, title: competency, levels },
    })),
    ...v.requirements.map(({ role, competency, level }): FrameworkEvent => ({
      type: 'RoleRequirementDefined',
      data: { version, role, competency, minLevel: level as Level },
    })),
    { type: 'FrameworkVersionPublished', data: { version } },
  ];
  const state = fold(frameworkDecider, events);
  if (state.status !== 'published') throw new Error(`framework ${version} must be published`);
  return state;
}

/** One choice of what happens next; the interpreter turns it into a plausible fact, or skips it. */
export type Intent =
  | { readonly t: 'award'; readonly competency: number; readonly level: Level; readonly daysAgo: number }
  | { readonly t: 'renew'; readonly cert: number; readonly daysAgo: number }
  | {
      readonly t: 'suspend' | 'reinstate' | 'revoke';
      readonly cert: number;
      readonly daysAgo: number;
    }
  /** `renewal` null: the award; else one of the renewals not voided yet. */
  | { readonly t: 'void'; readonly cert: number; readonly renewal: number | null }
  | { readonly t: 'expired'; readonly cert: number }
  /** `agency` null: the same agency (a move of institution or jurisdiction). */
  | {
      readonly t: 'transfer';
      readonly agency: Agency | null;
      readonly away: boolean;
      readonly daysAgo: number;
    }
  | { readonly t: 'leave'; readonly daysAgo: number }
  | { readonly t: 'adopt'; readonly version: number; readonly inDays: number }
  | {
      readonly t: 'add';
      readonly role: string;
      readonly competency: number;
      readonly level: Level;
      readonly inDays: number;
    };

const pick = fc.nat({ max: 5 });
/** True once in `1 + odds` draws (fast-check's bias towards small numbers would skew `nat`). */
export const rarely = (odds: number) => fc.noBias(fc.integer({ min: 0, max: odds })).map((n) => n === 0);
export const staffIntentArb: fc.Arbitrary<Intent> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('award' as const),
      competency: pick,
      level: fc.constantFrom(...LEVELS),
      daysAgo: fc.nat({ max: 60 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ t: fc.constant('renew' as const), cert: pick, daysAgo: fc.nat({ max: 20 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constantFrom('suspend' as const, 'reinstate' as const, 'revoke' as const),
      cert: pick,
      daysAgo: fc.oneof(fc.constant(0), fc.nat({ max: 40 })),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('void' as const),
      cert: pick,
      renewal: fc.option(pick, { nil: null, freq: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('expired' as const), cert: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('transfer' as const),
      agency: fc.option(fc.constantFrom(...AGENCIES), { freq: 2 }),
      away: rarely(2),
      daysAgo: fc.nat({ max: 10 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('leave' as const), daysAgo: fc.nat({ max: 30 }) }) },
);
export const rulesIntentArb: fc.Arbitrary<Intent> = fc.oneof(
  fc.record({
    t: fc.constant('adopt' as const),
    version: fc.nat({ max: 1 }),
    inDays: fc.integer({ min: -20, max: 40 }),
  }),
  fc.record({
    t: fc.constant('add' as const),
    role: fc.constantFrom(...ROLES),
    competency: pick,
    level: fc.constantFrom(...LEVELS),
    inDays: fc.integer({ min: -20, max: 40 }),
  }),
);

/** Choices with the hours between their records (at least two: an assignment fits in between). */
export const stepsArb = (intent: fc.Arbitrary<Intent>, maxLength: number) =>
  fc.array(fc.record({ intent, gapHours: fc.integer({ min: 2, max: 20 * 24 }) }), {
    minLength: 1,
    maxLength,
    size: 'max',
  });
/** A log of staff and jurisdiction choices. */
export const mixedIntentsArb = stepsArb(
  fc.oneof({ weight: 4, arbitrary: staffIntentArb }, { weight: 1, arbitrary: rulesIntentArb }),
  10,
);

/** How the member comes to serve on the team (see the model test's `serveAndReview`). */
export type Plan = {
  readonly after: number;
  readonly mode: 'now' | 'backdated' | 'racing';
  readonly backDays: number;
  readonly cert: number;
  readonly kind: TeamKind;
  readonly teamRole: string;
  readonly endGapHours: number;
  readonly fit: boolean;
};
export const ADMITTED: Record<TeamKind, readonly Agency[]> = {
  prison: ['prison'],
  probation: ['probation'],
  joint: ['prison', 'probation'],
  'multi-agency': AGENCIES,
};
export const planArb: fc.Arbitrary<Plan> = fc.record({
  after: fc.nat(),
  mode: fc.constantFrom('now' as const, 'backdated' as const, 'racing' as const),
  backDays: fc.integer({ min: 2, max: 120 }),
  cert: fc.nat({ max: 5 }),
  kind: fc.constantFrom(...TEAM_KINDS),
  teamRole: fc.constantFrom(...TEAM_ROLES),
  endGapHours: fc.integer({ min: 1, max: 90 * 24 }),
  fit: rarely(4).map((misfit) => !misfit),
});

export interface Registration {
  readonly agency: Agency;
  readonly elsewhere: boolean;
}
export const registrationArb: fc.Arbitrary<Registration> = fc.record({
  agency: fc.constantFrom(...AGENCIES),
  /** Mostly in the team's jurisdiction: registered elsewhere, the person can only be refused. */
  elsewhere: rarely(9),
});

/** One recorded fact, as the oracle and as the production code read it. */
export type LogItem =
  | {
      readonly stream: 'staff';
      readonly recordedAt: number;
      /** Null for a notification (`CertificationExpired`), which the rule does not read. */
      readonly fact: PersonFact | null;
      readonly event: StaffEvent;
    }
  | {
      readonly stream: 'rules';
      readonly recordedAt: number;
      readonly fact: RuleFact;
      readonly event: JurisdictionEvent;
    };

interface CertState {
  readonly id: string;
  readonly competency: string;
  readonly level: Level;
  readonly periods: { from: number; until: number; eventId: string; voided: boolean }[];
  status: 'active' | 'suspended' | 'revoked';
  voided: boolean;
  lastStatusAt: number;
}

/** The baseline adoption, in force long before any log starts. */
export const baselineRules = (): LogItem[] => [
  {
    stream: 'rules',
    recordedAt: BASE - 400 * DAY,
    fact: { kind: 'adopted', version: 'v1', at: BASE - 400 * DAY },
    event: {
      type: 'FrameworkAdopted',
      data: { jurisdiction: TEAM_JURISDICTION, version: 'v1', effectiveFrom: toInstant(BASE - 400 * DAY) },
      metadata: { eventId: 'rules-0', occurredAt: toInstant(BASE - 400 * DAY) },
    },
  },
];

/**
 * Turns choices into a log a real system could have recorded: the staff member is registered
 * first; a suspension or reinstatement never takes effect before the certification's last change
 * of status (back-dating them past each other would make the order of effect ambiguous); a revocation
 * and a departure may be back-dated freely; nothing is awarded or transferred after the departure;
 * `race` inserts, right after item `race.after`, a revocation taking effect one hour after that
 * item was recorded (the instant an assignment is made).
 */
export function interpret(
  world: World,
  staffId: string,
  registration: Registration,
  steps: readonly { readonly intent: Intent; readonly gapHours: number }[],
  race?: { readonly after: number; readonly cert: number },
): LogItem[] {
  const items: LogItem[] = [];
  let seq = 0;
  const meta = (at: number) => ({ eventId: `${staffId}-e${++seq}`, occurredAt: toInstant(at) });
  const staff = (recordedAt: number, fact: PersonFact, event: StaffEvent) =>
    items.push({ stream: 'staff', recordedAt, fact, event });
  const certs: CertState[] = [];
  // Registered (back-dated) well before the log starts, so back-dated assignments find them.
  let placement = {
    at: BASE - 200 * DAY,
    agency: registration.agency,
    jurisdiction: registration.elsewhere ? 'RS' : TEAM_JURISDICTION,
    institution: 'inst-0',
  };
  let left = false;
  let latestAdoption = BASE - 400 * DAY;
  staff(
    BASE,
    { kind: 'registered', ...placement },
    {
      type: 'StaffMemberRegistered',
      data: {
        staffId,
        ...placementData(placement),
        role: 'psychologist',
        personalData: { ciphertext: 'sealed' },
      },
      metadata: meta(placement.at),
    },
  );
  const live = (i: number) => {
    const usable = certs.filter((c) => !c.voided);
    return usable.length === 0 ? undefined : usable[i % usable.length];
  };

  const award = (r: number, competency: string, level: Level, validFrom: number) => {
    if (left) return;
    const validUntil = toMillis(addMonths(toInstant(validFrom), VALIDITY_MONTHS[level]));
    const validity = {
      validFrom: toInstant(validFrom),
      validUntil: toInstant(validUntil),
      windowOpensAt: toInstant(validUntil - 7 * DAY),
      evidence: { kind: 'external' as const, issuer: 'issuer', reference: `ref-${seq}` },
      frameworkVersion: 'v1',
    };
    // Passing again at the same level within the period in force renews (DOMAIN.md).
    const renewable = certs.find((c) => {
      const current = c.periods.filter((p) => !p.voided).at(-1);
      return (
        !c.voided &&
        c.status !== 'revoked' &&
        c.competency === competency &&
        c.level === level &&
        current !== undefined &&
        current.from <= validFrom &&
        validFrom < current.until
      );
    });
    if (renewable?.status === 'suspended') return;
    const m = meta(r);
    if (renewable) {
      renewable.periods.push({ from: validFrom, until: validUntil, eventId: m.eventId, voided: false });
      const certificationId = renewable.id;
      staff(
        r,
        { kind: 'renewed', certificationId, validFrom, validUntil },
        { type: 'CertificationRenewed', data: { staffId, certificationId, ...validity }, metadata: m },
      );
      return;
    }
    const certificationId = `${staffId}-c${certs.length + 1}`;
    certs.push({
      id: certificationId,
      competency,
      level,
      periods: [{ from: validFrom, until: validUntil, eventId: m.eventId, voided: false }],
      status: 'active',
      voided: false,
      lastStatusAt: -Infinity,
    });
    staff(
      r,
      { kind: 'awarded', certificationId, competency, level, validFrom, validUntil },
      {
        type: 'CertificationAwarded',
        data: { staffId, certificationId, competency, level, ...validity },
        metadata: m,
      },
    );
  };

  const changeStatus = (
    r: number,
    cert: CertState,
    kind: 'suspended' | 'reinstated' | 'revoked',
    at: number,
  ) => {
    cert.status = kind === 'reinstated' ? 'active' : kind;
    cert.lastStatusAt = Math.max(cert.lastStatusAt, at);
    const certificationId = cert.id;
    const m = meta(at);
    const event: StaffEvent =
      kind === 'suspended'
        ? {
            type: 'CertificationSuspended',
            data: { staffId, certificationId, reason: 'inquiry' },
            metadata: m,
          }
        : kind === 'reinstated'
          ? { type: 'CertificationReinstated', data: { staffId, certificationId, reason: null }, metadata: m }
          : {
              type: 'CertificationRevoked',
              data: { staffId, certificationId, reason: 'misconduct' },
              metadata: m,
            };
    staff(r, { kind, certificationId, at }, event);
  };

  let r = BASE;
  steps.forEach(({ intent, gapHours }, index) => {
    r += gapHours * HOUR;
    const ago = (days: number) => r - days * DAY;
    switch (intent.t) {
      case 'award':
        award(
          r,
          world.competencies[intent.competency % world.competencies.length]!,
          intent.level,
          ago(intent.daysAgo),
        );
        break;
      case 'renew': {
        // Passed again within the period in force (an external certificate may start in the past).
        const cert = live(intent.cert);
        const current = cert?.periods.filter((p) => !p.voided).at(-1);
        if (!cert || !current || cert.status !== 'active') break;
        const validFrom = Math.max(current.from, Math.min(ago(intent.daysAgo), current.until - HOUR));
        award(r, cert.competency, cert.level, validFrom);
        break;
      }
      case 'suspend':
      case 'reinstate': {
        const cert = live(intent.cert);
        const from = intent.t === 'suspend' ? 'active' : 'suspended';
        if (cert?.status === from)
          changeStatus(
            r,
            cert,
            intent.t === 'suspend' ? 'suspended' : 'reinstated',
            Math.max(ago(intent.daysAgo), cert.lastStatusAt),
          );
        break;
      }
      case 'revoke': {
        const cert = live(intent.cert);
        if (cert && cert.status !== 'revoked') changeStatus(r, cert, 'revoked', ago(intent.daysAgo));
        break;
      }
      case 'void': {
        const renewals = certs
          .filter((c) => !c.voided)
          .flatMap((c) => c.periods.flatMap((p, n) => (n > 0 && !p.voided ? [{ cert: c, p, n }] : [])));
        const target =
          intent.renewal === null
            ? live(intent.cert)?.periods.map((p) => ({ cert: live(intent.cert)!, p, n: 0 }))[0]
            : renewals[(intent.cert + intent.renewal) % Math.max(renewals.length, 1)];
        if (!target) break;
        const { cert, p, n } = target;
        if (n === 0) cert.voided = true;
        else p.voided = true;
        staff(
          r,
          { kind: 'voided', certificationId: cert.id, period: n },
          {
            type: 'RecordVoided',
            data: {
              stream: `staff-${staffId}`,
              targetEventId: p.eventId,
              targetType: n === 0 ? 'CertificationAwarded' : 'CertificationRenewed',
              reason: 'recorded in error',
            },
            metadata: meta(r),
          },
        );
        break;
      }
      case 'expired': {
        // The notification only: by the clock the certificate stopped counting already.
        const cert = live(intent.cert);
        const current = cert?.periods.filter((p) => !p.voided).at(-1);
        if (!cert || !current || current.until > r) break;
        const data = { staffId, certificationId: cert.id, validUntil: toInstant(current.until) };
        const event: StaffEvent = { type: 'CertificationExpired', data, metadata: meta(r) };
        items.push({ stream: 'staff', recordedAt: r, fact: null, event });
        break;
      }
      case 'transfer': {
        if (left) break;
        const at = Math.max(ago(intent.daysAgo), placement.at);
        const jurisdiction =
          intent.away === (placement.jurisdiction === TEAM_JURISDICTION) ? 'RS' : TEAM_JURISDICTION;
        const from = placementData(placement);
        const agency = intent.agency ?? placement.agency;
        placement = { at, agency, jurisdiction, institution: `inst-${index + 1}` };
        staff(
          r,
          { kind: 'transferred', at, agency, jurisdiction },
          {
            type: 'StaffMemberTransferred',
            data: { staffId, ...placementData(placement), from },
            metadata: meta(at),
          },
        );
        break;
      }
      case 'leave': {
        if (left) break;
        left = true;
        const at = ago(intent.daysAgo);
        staff(r, { kind: 'left', at }, { type: 'StaffMemberLeft', data: { staffId }, metadata: meta(at) });
        break;
      }
      case 'adopt': {
        const names = Object.keys(world.versions);
        const version = names[intent.version % names.length]!;
        const at = Math.max(latestAdoption + DAY, r + intent.inDays * DAY);
        latestAdoption = at;
        const data = { jurisdiction: TEAM_JURISDICTION, version, effectiveFrom: toInstant(at) };
        items.push({
          stream: 'rules',
          recordedAt: r,
          fact: { kind: 'adopted', version, at },
          event: { type: 'FrameworkAdopted', data, metadata: meta(r) },
        });
        break;
      }
      case 'add': {
        const competency = world.competencies[intent.competency % world.competencies.length]!;
        const at = r + intent.inDays * DAY;
        const { role, level } = intent;
        const data = {
          jurisdiction: TEAM_JURISDICTION,
          role,
          competency,
          minLevel: level,
          effectiveFrom: toInstant(at),
        };
        items.push({
          stream: 'rules',
          recordedAt: r,
          fact: { kind: 'added', role, competency, level, at },
          event: { type: 'JurisdictionRequirementAdded', data, metadata: meta(r) },
        });
        break;
      }
    }
    if (race && race.after === index) {
      const cert = live(race.cert);
      if (cert && cert.status !== 'revoked') changeStatus(r + HOUR + 1, cert, 'revoked', r + HOUR);
    }
  });
  return items;
}

function placementData(p: { agency: Agency; jurisdiction: string; institution: string }) {
  return { agency: p.agency, jurisdiction: p.jurisdiction, institution: p.institution };
}

/** The jurisdiction's rules, folded by the real decider from the baseline and the log's rule events. */
export function rulesOf(items: readonly LogItem[]) {
  const events = [...baselineRules(), ...items].flatMap((i) => (i.stream === 'rules' ? [i.event] : []));
  const state = fold(jurisdictionDecider, events);
  if (state.status !== 'active') throw new Error('the jurisdiction has adopted the baseline');
  return state;
}

export const ruleFacts = (items: readonly LogItem[]): RuleFact[] =>
  [...baselineRules(), ...items].flatMap((i) => (i.stream === 'rules' ? [i.fact] : []));

export const personFacts = (items: readonly LogItem[]): PersonFact[] =>
  items.flatMap((i) => (i.stream === 'staff' && i.fact ? [i.fact] : []));

export const staffEvents = (items: readonly LogItem[]): StaffEvent[] =>
  items.flatMap((i) => (i.stream === 'staff' ? [i.event] : []));

/** Every instant at which a fact takes effect, for picking instants on and around them. */
export function criticalInstants(items: readonly LogItem[]): number[] {
  const all = [...ruleFacts(items), ...personFacts(items)].flatMap((f) => {
    if ('validFrom' in f) return [f.validFrom, f.validUntil];
    return 'at' in f ? [f.at] : [];
  });
  return [...new Set([...all, ...items.map((i) => i.recordedAt)])].sort((a, b) => a - b);
}

/** An instant on a critical one (or a millisecond either side), or anywhere in the span of the log. */
export type InstantChoice =
  { readonly critical: number; readonly delta: -1 | 0 | 1 } | { readonly free: number };
export const instantChoiceArb: fc.Arbitrary<InstantChoice> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ critical: fc.nat(), delta: fc.constantFrom(-1 as const, 0 as const, 1 as const) }),
  },
  { weight: 1, arbitrary: fc.record({ free: fc.integer({ min: -30 * DAY, max: 260 * DAY }) }) },
);
export function resolveInstant(choice: InstantChoice, critical: readonly number[]): number {
  if ('free' in choice) return BASE + choice.free;
  return critical[choice.critical % critical.length]! + choice.delta;
}

import { performance } from 'node:perf_hooks';
import { inPool, prng, SeedClient } from './client.js';
import {
  COMPETENCIES,
  JURISDICTIONS,
  KOSOVO_FOOTNOTE,
  LEVEL_POLICY,
  PROGRAMMES,
  REQUIREMENTS,
  ROLES,
  ROLE_MIX,
  SAMPLE_ADOPTED_FROM,
  SAMPLE_FRAMEWORK_TITLE,
  SAMPLE_FRAMEWORK_VERSION as VERSION,
  requirementsOf,
  type Agency,
  type Level,
} from './sample-framework.js';

export interface SeedOptions {
  readonly baseUrl: string;
  /** Signs the seed's own development tokens (CADRE_JWT_SECRET or the development default). */
  readonly sign: (sub: string, role: string, jurisdiction: string) => Promise<string>;
  readonly runId: string;
  /** The day the demo's dates are relative to (midnight UTC). */
  readonly anchor: Date;
  readonly staffPerJurisdiction: number;
  readonly jurisdictions?: readonly string[];
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

export interface SeedSummary {
  readonly runId: string;
  readonly framework: string;
  readonly jurisdictions: string[];
  readonly staff: { id: string; jurisdiction: string; agency: Agency; role: string }[];
  readonly certifications: number;
  readonly programmes: string[];
  readonly sessions: { id: string; jurisdiction: string; joint: boolean; participants: number }[];
  readonly teams: { id: string; jurisdiction: string; members: string[]; operational: boolean }[];
  readonly requests: number;
  readonly seconds: number;
}

interface PlannedStaff {
  readonly key: string;
  readonly jurisdiction: string;
  readonly agency: Agency;
  readonly role: string;
  readonly institution: string;
  readonly name: string;
  readonly certifications: { competency: string; level: Level; validFrom: string }[];
  /** Every requirement of the role met by a certification valid at the anchor. */
  readonly qualified: boolean;
  id?: string;
}

const DAY = 86_400_000;
const TAUGHT = [...new Set(PROGRAMMES.flatMap((p) => p.competencies.map(([competency]) => competency)))];
const BACKFILL = 'Demo data back-filled by npm run seed (sample, not real records)';
const FIRST = ['Arta', 'Besnik', 'Dina', 'Edin', 'Fjolla', 'Goran', 'Hana', 'Ilir', 'Jelena', 'Kujtim'];
const FIRST2 = ['Lejla', 'Marko', 'Nora', 'Ognjen', 'Petra', 'Rina', 'Stefan', 'Teuta', 'Uroš', 'Vesna'];

/** Fills a running Cadre through its command API with the sample picture of the six jurisdictions. */
export async function runSeed(options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const concurrency = options.concurrency ?? 8;
  const http = new SeedClient(options.baseUrl.replace(/\/$/, ''), options.runId);
  const anchor = Date.UTC(
    options.anchor.getUTCFullYear(),
    options.anchor.getUTCMonth(),
    options.anchor.getUTCDate(),
  );
  const iso = (ms: number) => new Date(ms).toISOString();
  const random = prng(options.runId);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const jurisdictions = JURISDICTIONS.filter(
    (j) => (options.jurisdictions ?? []).length === 0 || options.jurisdictions!.includes(j.code),
  );

  const regional = await options.sign('seed-coordinator', 'training-coordinator', '*');
  const coordinators = new Map<string, string>();
  const managers = new Map<string, string[]>();
  for (const { code } of jurisdictions) {
    coordinators.set(code, await options.sign(`seed-coordinator-${code}`, 'training-coordinator', code));
    managers.set(code, [
      await options.sign(`seed-manager-${code}`, 'manager', code),
      await options.sign(`seed-manager-2-${code}`, 'manager', code),
    ]);
  }

  const step = async <T, R>(
    title: string,
    items: readonly T[],
    work: (item: T, index: number) => Promise<R>,
    parallel = concurrency,
  ): Promise<R[]> => {
    const t0 = performance.now();
    const before = http.requests;
    let shown = 0;
    const results = await inPool(items, parallel, work, (done) => {
      const quarter = Math.floor((done / items.length) * 4);
      if (quarter > shown && done < items.length) {
        shown = quarter;
        log(`  ${title}: ${done}/${items.length}`);
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    const requests = http.requests - before;
    log(
      `✓ ${title}: ${items.length} in ${seconds.toFixed(1)} s (${requests} requests, ${Math.round(requests / Math.max(seconds, 0.001))}/s)`,
    );
    return results;
  };

  log(
    `Seeding ${options.baseUrl} — run ${options.runId}, ${options.staffPerJurisdiction} staff in each of ` +
      `${jurisdictions.map((j) => j.code).join(' ')} (re-run with --run-id ${options.runId} to resume without duplicates)`,
  );
  if (jurisdictions.some((j) => j.code === 'XK')) log(`  Kosovo* — ${KOSOVO_FOOTNOTE}`);

  // 1. The SAMPLE regional framework, drafted and published by a regional coordinator.
  const existing = await http.get(regional, `/v1/frameworks/${VERSION}`, [404]);
  if (existing.status === 200 && existing.body.status === 'published') {
    log(`✓ framework ${VERSION}: already published, kept as it is`);
  } else {
    const f = `/v1/frameworks/${VERSION}`;
    const levels = Object.fromEntries(Object.entries(LEVEL_POLICY));
    const commands: [string, string, object][] = [
      ['/v1/frameworks', 'framework', { version: VERSION, title: SAMPLE_FRAMEWORK_TITLE }],
      ...ROLES.map(([role, title]): [string, string, object] => [
        `${f}/roles`,
        `role:${role}`,
        { role, title },
      ]),
      ...COMPETENCIES.map(([competency, title]): [string, string, object] => [
        `${f}/competencies`,
        `competency:${competency}`,
        { competency, title, levels },
      ]),
      ...REQUIREMENTS.map(([role, competency, minLevel]): [string, string, object] => [
        `${f}/requirements`,
        `requirement:${role}:${competency}`,
        { role, competency, minLevel },
      ]),
      [`${f}/publish`, 'publish', {}],
    ];
    // One stream: one command after the other.
    await step(
      `framework ${VERSION} (roles, competencies, requirements, publish)`,
      commands,
      ([path, key, body]) => http.post(regional, path, key, body, key === 'framework' ? [409] : []),
      1,
    );
  }

  // 2. Each jurisdiction adopts it.
  await step('framework adoptions', jurisdictions, ({ code }) =>
    http.post(
      regional,
      `/v1/jurisdictions/${code}/framework-adoptions`,
      `adopt:${code}`,
      {
        version: VERSION,
        effectiveFrom: SAMPLE_ADOPTED_FROM,
      },
      [409],
    ),
  );

  // 3. Staff: trainers first, then the agencies' role mix; certifications planned alongside.
  const planned: PlannedStaff[] = [];
  for (const { code, city } of jurisdictions) {
    const institutions: Record<Agency, string[]> = {
      prison: [`Demo Prison 1, ${city}`, `Demo Prison 2, ${city}`],
      probation: [`Demo Probation Office, ${city}`],
    };
    const n = options.staffPerJurisdiction;
    const trainers = Math.max(2, Math.ceil(n / 25));
    for (let i = 0; i < n; i += 1) {
      const isTrainer = i < trainers;
      const agency: Agency = isTrainer
        ? i % 2 === 0
          ? 'prison'
          : 'probation'
        : i % 5 < 3
          ? 'prison'
          : 'probation';
      const role = isTrainer ? 'trainer' : weighted(ROLE_MIX[agency], random);
      const serial = String(i + 1).padStart(3, '0');
      const certifications: PlannedStaff['certifications'] = [];
      let qualified = true;
      if (isTrainer) {
        // Trainer-level in every competency the sample programmes teach, valid through every session date.
        for (const competency of TAUGHT) {
          certifications.push({
            competency,
            level: 'trainer',
            validFrom: iso(anchor - (300 + Math.floor(random() * 60)) * DAY),
          });
        }
      } else {
        const fully = random() < 0.55;
        for (const [competency, minLevel] of requirementsOf(role)) {
          const validityDays = LEVEL_POLICY[minLevel].validityMonths * 30;
          const draw = random();
          if (fully || draw < 0.35) {
            // Valid, outside the recertification window.
            certifications.push({
              competency,
              level: minLevel,
              validFrom: iso(anchor - (30 + Math.floor(random() * (validityDays - 150))) * DAY),
            });
          } else if (draw < 0.55) {
            // Valid but due for renewal soon (in the window, or close to it).
            certifications.push({
              competency,
              level: minLevel,
              validFrom: iso(anchor - (validityDays - 20 - Math.floor(random() * 70)) * DAY),
            });
          } else if (draw < 0.7) {
            // Expired a while ago.
            certifications.push({
              competency,
              level: minLevel,
              validFrom: iso(anchor - (validityDays + 10 + Math.floor(random() * 200)) * DAY),
            });
            qualified = false;
          } else {
            qualified = false;
          }
        }
      }
      planned.push({
        key: `${code}-${serial}`,
        jurisdiction: code,
        agency,
        role,
        institution: pick(institutions[agency]),
        name: `${pick(random() < 0.5 ? FIRST : FIRST2)} Demo-${code}${serial}`,
        certifications,
        qualified,
      });
    }
  }
  // Registration, then that member's external certifications (one staff stream per task, in order).
  let certifications = 0;
  await step('staff registered and certified (external awards)', planned, async (person) => {
    const [manager] = managers.get(person.jurisdiction)!;
    const reply = await http.post(manager, '/v1/staff', `staff:${person.key}`, {
      agency: person.agency,
      jurisdiction: person.jurisdiction,
      institution: person.institution,
      role: person.role,
      name: `${person.name} (synthetic)`,
      email: `${person.key.toLowerCase()}.demo@example.org`,
      employeeRef: `DEMO-${person.key}-${options.runId}`.slice(0, 64),
    });
    person.id = String(reply.body.id);
    const coordinator = coordinators.get(person.jurisdiction)!;
    for (const c of person.certifications) {
      await http.post(
        coordinator,
        `/v1/staff/${person.id}/certifications`,
        `cert:${person.key}:${c.competency}:${c.level}`,
        {
          competency: c.competency,
          level: c.level,
          validFrom: c.validFrom,
          evidence: {
            issuer: 'Demo Training Academy (sample)',
            reference: `DEMO-${person.key}-${c.competency}`,
          },
        },
      );
      certifications += 1;
    }
  });

  // 5. Programmes (regional) and sessions, many of them joint, back-dated and closed.
  const programmes = await step('programmes', PROGRAMMES, async (p) => {
    const reply = await http.post(regional, '/v1/programmes', `programme:${p.key}`, {
      title: p.title,
      competencies: p.competencies.map(([competency, level]) => ({ competency, level })),
      kind: p.kind,
      hours: p.hours,
      methodology: p.methodology,
    });
    return String(reply.body.id);
  });
  interface PlannedSession {
    key: string;
    jurisdiction: string;
    programme: number;
    agencies: Agency[];
    trainer: PlannedStaff;
    participants: PlannedStaff[];
    /** Drawn while planning, so a re-run sends the same bodies (parallel tasks run in any order). */
    outcomes: number[];
    startsAt: number;
  }
  const sessions: PlannedSession[] = [];
  jurisdictions.forEach(({ code }, ji) => {
    const people = planned.filter((p) => p.jurisdiction === code);
    const trainers = people.filter((p) => p.role === 'trainer');
    const learners = people.filter((p) => p.role !== 'trainer');
    const count = Math.max(2, Math.round(options.staffPerJurisdiction / 25));
    for (let s = 0; s < count; s += 1) {
      const programme = s % PROGRAMMES.length;
      // Most sessions are joint (prison + probation); dynamic-security ones are for prison staff.
      const joint = PROGRAMMES[programme].key !== 'dynamic-security';
      const agencies: Agency[] = joint ? ['prison', 'probation'] : ['prison'];
      const pool = shuffle(
        learners.filter((p) => agencies.includes(p.agency)),
        random,
      );
      let participants = pool.slice(0, 14);
      if (joint) {
        const prison = pool.filter((p) => p.agency === 'prison').slice(0, 7);
        const probation = pool.filter((p) => p.agency === 'probation').slice(0, 7);
        participants = [...prison, ...probation];
      }
      sessions.push({
        key: `${code}-S${s + 1}`,
        jurisdiction: code,
        programme,
        agencies,
        trainer: trainers[s % trainers.length],
        participants,
        outcomes: participants.map(() => random()),
        startsAt: anchor - (10 + 21 * s + 2 * ji) * DAY + 8 * 3_600_000,
      });
    }
  });
  const sessionResults = await step(
    'sessions (schedule, enrol, attendance, assessment, close)',
    sessions,
    async (s) => {
      const coordinator = coordinators.get(s.jurisdiction)!;
      const endsAt = s.startsAt + DAY + 8 * 3_600_000;
      const programme = PROGRAMMES[s.programme];
      const backdated = (at: number) => ({ occurredAt: iso(at), reason: BACKFILL });
      const scheduled = await http.post(coordinator, '/v1/sessions', `session:${s.key}`, {
        programmeId: programmes[s.programme],
        startsAt: iso(s.startsAt),
        endsAt: iso(endsAt),
        location: `Demo Training Centre, ${JURISDICTIONS.find((j) => j.code === s.jurisdiction)!.city}`,
        jurisdictions: [s.jurisdiction],
        agencies: s.agencies,
        trainers: [s.trainer.id],
        capacity: 16,
        ...backdated(s.startsAt - 30 * DAY),
      });
      const path = `/v1/sessions/${String(scheduled.body.id)}`;
      const outcomes = s.outcomes;
      for (const p of s.participants) {
        await http.post(coordinator, `${path}/enrolments`, `enrol:${s.key}:${p.key}`, {
          staffId: p.id,
          ...backdated(s.startsAt - 3 * DAY),
        });
      }
      let attended = new Set<Agency>();
      for (const [i, p] of s.participants.entries()) {
        const draw = outcomes[i];
        const attendance = draw < 0.05 ? 'absent' : draw < 0.15 ? 'partial' : 'present';
        const hours =
          attendance === 'absent' ? 0 : attendance === 'partial' ? programme.hours / 2 : programme.hours;
        await http.post(coordinator, `${path}/attendance`, `attend:${s.key}:${p.key}`, {
          staffId: p.id,
          attendance,
          hours,
          ...backdated(endsAt - 3_600_000),
        });
        if (attendance !== 'absent') attended = attended.add(p.agency);
        if (attendance === 'absent') continue;
        const passed = draw < 0.85;
        await http.post(coordinator, `${path}/assessments`, `assess:${s.key}:${p.key}`, {
          staffId: p.id,
          result: passed ? 'passed' : 'failed',
          score: passed ? 60 + Math.round(draw * 40) : 30 + Math.round(draw * 20),
          ...backdated(endsAt - 3_600_000),
        });
      }
      await http.post(coordinator, `${path}/close`, `close:${s.key}`, backdated(endsAt));
      return {
        id: String(scheduled.body.id),
        jurisdiction: s.jurisdiction,
        joint: attended.size === 2,
        participants: s.participants.length,
      };
    },
  );

  // 6. A few multi-disciplinary teams per jurisdiction, staffed with qualified members.
  const TEAMS: { kind: 'joint' | 'prison' | 'probation'; disciplines: [string, number][] }[] = [
    {
      kind: 'joint',
      disciplines: [
        ['psychologist', 1],
        ['probation-officer', 1],
        ['front-line-security-officer', 1],
      ],
    },
    {
      kind: 'prison',
      disciplines: [
        ['front-line-security-officer', 2],
        ['treatment-staff', 1],
        ['social-worker', 1],
      ],
    },
    {
      kind: 'probation',
      disciplines: [
        ['probation-officer', 2],
        ['social-worker', 1],
      ],
    },
  ];
  const teamPlans = jurisdictions.flatMap(({ code, city }) => {
    const taken = new Set<string>();
    return TEAMS.map((t, ti) => {
      const members: { person: PlannedStaff; role: string }[] = [];
      for (const [role, count] of t.disciplines) {
        const candidates = planned.filter(
          (p) =>
            p.jurisdiction === code &&
            p.role === role &&
            p.qualified &&
            !taken.has(p.key) &&
            (t.kind === 'joint' || p.agency === t.kind),
        );
        for (const person of candidates.slice(0, count)) {
          taken.add(person.key);
          members.push({ person, role });
        }
      }
      const complete = t.disciplines.every(
        ([role, count]) => members.filter((m) => m.role === role).length >= count,
      );
      return {
        key: `${code}-T${ti + 1}`,
        code,
        city,
        kind: t.kind,
        disciplines: t.disciplines,
        members,
        complete,
      };
    });
  });
  const teams = await step(
    'teams (form, assign qualified members, lead, operational)',
    teamPlans,
    async (t) => {
      const [manager] = managers.get(t.code)!;
      const caseRef = `DEMO-CASE-${t.key}`;
      const formed = await http.post(manager, '/v1/teams', `team:${t.key}`, {
        name: `Demo ${t.kind} MDT ${t.city} — ${caseRef}`,
        jurisdiction: t.code,
        institutions: [...new Set(t.members.map((m) => m.person.institution))]
          .slice(0, 20)
          .concat(t.members.length === 0 ? [`Demo Prison 1, ${t.city}`] : []),
        kind: t.kind,
        caseRef,
        requiredDisciplines: t.disciplines.map(([role, minCount]) => ({ role, minCount })),
      });
      const path = `/v1/teams/${String(formed.body.id)}`;
      for (const m of t.members) {
        await http.post(manager, `${path}/members`, `assign:${t.key}:${m.person.key}`, {
          staffId: m.person.id,
          teamRole: m.role,
        });
      }
      if (t.complete) {
        await http.post(manager, `${path}/lead`, `lead:${t.key}`, { staffId: t.members[0].person.id });
        await http.post(manager, `${path}/operational`, `operational:${t.key}`, {});
      }
      return {
        id: String(formed.body.id),
        jurisdiction: t.code,
        members: t.members.map((m) => m.person.id!),
        operational: t.complete,
      };
    },
  );

  const seconds = (performance.now() - started) / 1000;
  const joint = sessionResults.filter((s) => s.joint).length;
  log(
    `Done in ${seconds.toFixed(1)} s: ${planned.length} staff, ${certifications} certifications, ${programmes.length} programmes, ` +
      `${sessionResults.length} closed sessions (${joint} joint), ${teams.length} teams ` +
      `(${teams.filter((t) => t.operational).length} operational) — ${http.requests} requests`,
  );
  return {
    runId: options.runId,
    framework: VERSION,
    jurisdictions: jurisdictions.map((j) => j.code),
    staff: planned.map((p) => ({ id: p.id!, jurisdiction: p.jurisdiction, agency: p.agency, role: p.role })),
    certifications,
    programmes,
    sessions: sessionResults,
    teams,
    requests: http.requests,
    seconds,
  };
}

function weighted(options: readonly [string, number][], random: () => number): string {
  const total = options.reduce((sum, [, w]) => sum + w, 0);
  let draw = random() * total;
  for (const [value, weight] of options) {
    draw -= weight;
    if (draw < 0) return value;
  }
  return options[options.length - 1][0];
}

function shuffle<T>(values: readonly T[], random: () => number): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

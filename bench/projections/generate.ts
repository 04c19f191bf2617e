/**
 * A realistic event log for the projection benchmark, written straight into `cadre_es.events`
 * with multi-row INSERTs. Every row is valid: data and metadata are the canonical JSON the store
 * keeps, each stream's hash chain is computed with the event store's own `canonicalParts` and
 * `chainHash`, and positions come from the table's defaults (one transaction per INSERT, on one
 * connection, so the global order follows each stream's revisions).
 *
 * The world: the six jurisdictions, each with prisons and probation offices; a competency
 * framework (v1, then v2 half-way through) adopted by every jurisdiction; staff registered over
 * time; training sessions (often joint prison/probation, some cross-border) with enrolment,
 * attendance, assessment and closure; certifications awarded from passed assessments, with
 * recertification windows, warnings, renewals and expiries; teams formed with members assigned,
 * released and lapsing when a certification expires; transfers, role changes and departures.
 * Business time runs from 2020 to late 2026; record time follows it by seconds (a few records are
 * entered days late, back-dated).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { canonicalize } from 'json-canonicalize';
import { canonicalEventJson, chainHash } from '@cadre/event-store';

export const JURISDICTIONS = ['AL', 'BA', 'XK', 'ME', 'MK', 'RS'] as const;
const LEVELS = ['awareness', 'specialised', 'expert', 'trainer'] as const;
type Level = (typeof LEVELS)[number];
const ROLES = {
  prison: ['prison-officer', 'prison-officer', 'prison-officer', 'psychologist', 'prison-manager'],
  probation: ['probation-officer', 'probation-officer', 'social-worker', 'probation-manager'],
} as const;
type Agency = keyof typeof ROLES;
const ALL_ROLES = [...new Set([...ROLES.prison, ...ROLES.probation])];
const COMPETENCIES = [
  'risk-assessment',
  'de-escalation',
  'case-planning',
  'radicalisation-awareness',
  'motivational-interviewing',
  'safeguarding',
] as const;
const VALIDITY_MONTHS: Record<string, number> = {
  'risk-assessment': 24,
  'de-escalation': 12,
  'case-planning': 36,
  'radicalisation-awareness': 24,
  'motivational-interviewing': 36,
  safeguarding: 12,
};
const WINDOW_DAYS = 90;
const DAY = 86_400_000;
const START = Date.parse('2020-01-06T08:00:00.000Z');
const END = Date.parse('2026-09-30T17:00:00.000Z');
const FIRST_NAMES = [
  'Arben',
  'Besa',
  'Dragan',
  'Elira',
  'Goran',
  'Jelena',
  'Luan',
  'Marija',
  'Nikola',
  'Vesna',
];
const LAST_NAMES = [
  'Hoxha',
  'Kovačević',
  'Petrović',
  'Krasniqi',
  'Stojanovski',
  'Marković',
  'Berisha',
  'Popović',
];

export interface GeneratedLog {
  readonly events: number;
  readonly streams: number;
  readonly staff: number;
  readonly sessions: number;
  readonly teams: number;
  readonly byType: Record<string, number>;
  /** A few ids the audit queries ask about. */
  readonly sampleStaff: string[];
  readonly sampleTeams: string[];
  readonly firstAt: string;
  readonly lastAt: string;
}

interface Cert {
  id: string;
  competency: string;
  level: Level;
  validUntil: number;
  /** Bumped on renewal: notices of an older period are dropped. */
  period: number;
}
interface Staff {
  id: string;
  jurisdiction: string;
  agency: Agency;
  institution: string;
  role: string;
  active: boolean;
  trainer: boolean;
  certs: Map<string, Cert>;
  teams: Set<string>;
}
interface Team {
  id: string;
  jurisdiction: string;
  members: Set<string>;
}

/** mulberry32: a small seeded generator, so every run writes the same world. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A min-heap of future happenings, by business time then insertion order. */
class Agenda {
  private readonly items: { at: number; n: number; run: () => void }[] = [];
  private n = 0;
  get size(): number {
    return this.items.length;
  }
  peek(): number {
    return this.items[0]?.at ?? Number.POSITIVE_INFINITY;
  }
  push(at: number, run: () => void): void {
    const item = { at, n: (this.n += 1), run };
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(h[p], h[i])) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }
  pop(): () => void {
    const h = this.items;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top.run;
  }
  private less(a: { at: number; n: number }, b: { at: number; n: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.n < b.n);
  }
}

const COLUMNS = 8;
const insertSql = (rows: number): string =>
  `INSERT INTO cadre_es.events (stream_id, revision, event_id, type, data, metadata, hash, recorded_at) VALUES ` +
  Array.from({ length: rows }, (_, r) => {
    const b = r * COLUMNS;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::json, $${b + 6}::json, decode($${b + 7}, 'hex'), $${b + 8})`;
  }).join(', ');

/**
 * Generates `total` events and writes them through `client` in INSERTs of `rowsPerInsert` rows.
 * `onProgress` is called after each INSERT with the events written so far.
 */
export async function generateLog(
  client: pg.ClientBase,
  total: number,
  options: {
    rowsPerInsert?: number;
    seed?: number;
    onProgress?: (written: number) => void;
    /** Registers more staff in `jurisdiction` after the mix, until it has `activeStaff` (the eligibility scenario). */
    crowd?: { jurisdiction: string; activeStaff: number };
  } = {},
): Promise<GeneratedLog> {
  const rowsPerInsert = options.rowsPerInsert ?? 2000;
  const random = prng(options.seed ?? 20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const iso = (at: number): string => new Date(at).toISOString();

  const heads = new Map<string, { revision: number; hash: string | null }>();
  const byType: Record<string, number> = {};
  let pending: unknown[] = [];
  let pendingRows = 0;
  let written = 0;
  let emitted = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = 0;

  const flush = async (): Promise<void> => {
    if (pendingRows === 0) return;
    const params = pending;
    const rows = pendingRows;
    pending = [];
    pendingRows = 0;
    // One INSERT in flight while the next batch is generated; one connection keeps them in order.
    await inFlight;
    inFlight = client.query(insertSql(rows), params).then(() => {
      written += rows;
      options.onProgress?.(written);
    });
  };

  /**
   * Events wait here until the simulation's clock passes the instant they are recorded, and are
   * then written in that order: recorded_at rises along the log as in a real store, where it is
   * the time of the append (and a late entry from a paper register is appended late, back-dated
   * by its `occurredAt`). Within a stream the recording times keep the order of emission.
   */
  const recordings = new Agenda();
  const lastRecorded = new Map<string, number>();
  /** No event is recorded before the simulation's clock at its emission. */
  let recordingFloor = 0;
  let released = 0;

  const emit = (
    stream: string,
    type: string,
    data: Record<string, unknown>,
    at: number,
    actorJurisdiction: string,
  ): string => {
    const eventId = randomUUID();
    const lateEntry = random() < 0.01;
    const metadata: Record<string, unknown> = {
      correlationId: randomUUID(),
      causationId: null,
      actor: {
        sub: `user-${actorJurisdiction.toLowerCase()}-${between(1, 12)}`,
        roles: ['manager'],
        jurisdictions: [actorJurisdiction],
      },
      occurredAt: iso(at),
      schemaVersion: 1,
      ...(lateEntry ? { reason: 'entered late from the paper register' } : {}),
    };
    const recordedAt = Math.max(
      at + (lateEntry ? between(2, 30) * DAY : between(1, 120) * 1000),
      recordingFloor,
      (lastRecorded.get(stream) ?? 0) + 1,
    );
    lastRecorded.set(stream, recordedAt);
    recordings.push(recordedAt, () => {
      const head = heads.get(stream) ?? { revision: -1, hash: null };
      const revision = head.revision + 1;
      // The store's canonical form (hash-chain.ts), built around data and metadata canonicalised
      // once; the first events are checked against `canonicalEventJson` itself.
      const dataJson = canonicalize(data);
      const metadataJson = canonicalize(metadata);
      const canonical = `{"data":${dataJson},"eventId":${JSON.stringify(eventId)},"metadata":${metadataJson},"revision":${revision},"stream":${JSON.stringify(stream)},"type":${JSON.stringify(type)}}`;
      if (
        released < 2000 &&
        canonical !== canonicalEventJson({ eventId, type, data, metadata } as never, stream, revision)
      )
        throw new Error(`canonical form of ${type} differs from the event store's`);
      const hash = chainHash(head.hash, canonical);
      heads.set(stream, { revision, hash });
      pending.push(stream, revision, eventId, type, dataJson, metadataJson, hash, iso(recordedAt));
      pendingRows += 1;
      released += 1;
    });
    emitted += 1;
    byType[type] = (byType[type] ?? 0) + 1;
    firstAt = Math.min(firstAt, at);
    lastAt = Math.max(lastAt, at);
    return eventId;
  };
  /** Writes the events recorded before `until` (all of them: `Infinity`), in recording order. */
  const release = async (until: number): Promise<void> => {
    while (recordings.size > 0 && recordings.peek() < until) {
      recordings.pop()();
      if (pendingRows >= rowsPerInsert) await flush();
    }
  };

  // ------------------------------------------------------------------ the framework and jurisdictions
  const requirements = new Map<string, { competency: string; minLevel: Level }[]>();
  const defineFramework = (version: string, at: number, strict: boolean): void => {
    const stream = `framework-${version}`;
    emit(
      stream,
      'FrameworkVersionDrafted',
      { version, title: `Regional competency framework ${version}` },
      at,
      'AL',
    );
    for (const role of ALL_ROLES)
      emit(stream, 'RoleDefined', { version, role, title: role.replace(/-/g, ' ') }, at, 'AL');
    for (const competency of COMPETENCIES) {
      const policy = { validityMonths: VALIDITY_MONTHS[competency], recertificationWindowDays: WINDOW_DAYS };
      emit(
        stream,
        'CompetencyDefined',
        {
          version,
          competency,
          title: competency.replace(/-/g, ' '),
          levels: Object.fromEntries(LEVELS.map((l) => [l, policy])),
        },
        at,
        'AL',
      );
    }
    requirements.clear();
    for (const role of ALL_ROLES) {
      const needs = COMPETENCIES.filter((_, i) => (i + role.length) % 3 !== 0).map((competency, i) => ({
        competency,
        minLevel: (strict && i === 0 ? 'specialised' : 'awareness') as Level,
      }));
      requirements.set(role, needs);
      for (const need of needs) emit(stream, 'RoleRequirementDefined', { version, role, ...need }, at, 'AL');
    }
    emit(stream, 'FrameworkVersionPublished', { version }, at + DAY, 'AL');
  };
  let frameworkVersion = 'v1';
  defineFramework('v1', START - 30 * DAY, false);
  for (const code of JURISDICTIONS) {
    emit(
      `jurisdiction-${code}`,
      'FrameworkAdopted',
      { jurisdiction: code, version: 'v1', effectiveFrom: iso(START) },
      START - 20 * DAY,
      code,
    );
    emit(
      `jurisdiction-${code}`,
      'JurisdictionRequirementAdded',
      {
        jurisdiction: code,
        role: 'prison-officer',
        competency: 'de-escalation',
        minLevel: 'specialised',
        effectiveFrom: iso(START),
      },
      START - 19 * DAY,
      code,
    );
  }
  const programmes = COMPETENCIES.flatMap((competency, i) =>
    (['awareness', 'specialised'] as const).map((level) => ({ id: `prog-${i}-${level}`, competency, level })),
  );
  programmes.push({ id: 'prog-ttt', competency: 'risk-assessment', level: 'trainer' as never });
  for (const p of programmes) {
    emit(
      `programme-${p.id}`,
      'ProgrammeDefined',
      {
        programmeId: p.id,
        title: `${p.competency} (${p.level})`,
        competencies: [{ competency: p.competency, level: p.level }],
        kind: p.level === ('trainer' as string) ? 'train-the-trainer' : p.level,
        hours: p.level === 'awareness' ? 6 : 16,
        methodology: 'blended',
      },
      START - 10 * DAY,
      'AL',
    );
  }

  // ------------------------------------------------------------------ the world
  const institutions = Object.fromEntries(
    JURISDICTIONS.map((code) => [
      code,
      {
        prison: [1, 2, 3, 4].map((n) => `${code.toLowerCase()}-prison-${n}`),
        probation: [1, 2, 3].map((n) => `${code.toLowerCase()}-probation-${n}`),
      },
    ]),
  ) as Record<string, Record<Agency, string[]>>;
  const staff: Staff[] = [];
  const staffBy = new Map<string, Staff>();
  const activeIn = new Map<string, Staff[]>(JURISDICTIONS.map((code) => [code, []]));
  const trainersIn = new Map<string, Staff[]>(JURISDICTIONS.map((code) => [code, []]));
  const teams: Team[] = [];
  const agenda = new Agenda();
  const staffTarget = Math.max(300, Math.round(total / 40));
  let sessions = 0;

  const certify = (
    member: Staff,
    competency: string,
    level: Level,
    at: number,
    evidence: Record<string, unknown>,
  ): void => {
    const held = member.certs.get(competency);
    const validUntil = at + VALIDITY_MONTHS[competency] * 30 * DAY;
    const validity = {
      staffId: member.id,
      validFrom: iso(at),
      validUntil: iso(validUntil),
      windowOpensAt: iso(validUntil - WINDOW_DAYS * DAY),
      evidence,
      frameworkVersion,
    };
    let cert: Cert;
    if (held && LEVELS.indexOf(held.level) >= LEVELS.indexOf(level) && held.validUntil > at) {
      held.validUntil = validUntil;
      held.period += 1;
      cert = held;
      emit(
        `staff-${member.id}`,
        'CertificationRenewed',
        { ...validity, certificationId: held.id },
        at,
        member.jurisdiction,
      );
    } else {
      cert = { id: randomUUID(), competency, level, validUntil, period: 0 };
      member.certs.set(competency, cert);
      emit(
        `staff-${member.id}`,
        'CertificationAwarded',
        { ...validity, certificationId: cert.id, competency, level },
        at,
        member.jurisdiction,
      );
    }
    scheduleNotices(member, cert);
  };

  const scheduleNotices = (member: Staff, cert: Cert): void => {
    const period = cert.period;
    const current = () =>
      member.active && member.certs.get(cert.competency) === cert && cert.period === period;
    const notice = () => ({ staffId: member.id, certificationId: cert.id, validUntil: iso(cert.validUntil) });
    const opens = cert.validUntil - WINDOW_DAYS * DAY;
    agenda.push(opens, () => {
      if (!current()) return;
      emit(`staff-${member.id}`, 'RecertificationWindowOpened', notice(), opens, member.jurisdiction);
      // Most renew within the window (externally accredited refresher), the rest lapse.
      if (random() < 0.6) {
        const at = opens + between(5, WINDOW_DAYS - 5) * DAY;
        agenda.push(at, () => {
          if (current())
            certify(member, cert.competency, cert.level, at, {
              kind: 'external',
              issuer: 'regional-academy',
              reference: `RA-${between(10000, 99999)}`,
            });
        });
      }
    });
    agenda.push(cert.validUntil - 30 * DAY, () => {
      if (current())
        emit(
          `staff-${member.id}`,
          'CertificationExpiryWarned',
          notice(),
          cert.validUntil - 30 * DAY,
          member.jurisdiction,
        );
    });
    agenda.push(cert.validUntil, () => {
      if (!current()) return;
      emit(`staff-${member.id}`, 'CertificationExpired', notice(), cert.validUntil, member.jurisdiction);
      member.certs.delete(cert.competency);
      for (const teamId of member.teams) {
        emit(
          `team-${teamId}`,
          'MemberQualificationLapsed',
          { teamId, staffId: member.id, certificationId: cert.id, cause: 'expired' },
          cert.validUntil + 60_000,
          member.jurisdiction,
        );
      }
    });
  };

  const register = (at: number, crowded?: string): Staff => {
    const jurisdiction = crowded ?? pick(JURISDICTIONS);
    const agency: Agency = random() < 0.6 ? 'prison' : 'probation';
    const member: Staff = {
      id: randomUUID(),
      jurisdiction,
      agency,
      institution: pick(institutions[jurisdiction][agency]),
      role: pick(ROLES[agency]),
      active: true,
      trainer: random() < 0.04,
      certs: new Map(),
      teams: new Set(),
    };
    const name = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
    const clear = JSON.stringify({
      name,
      email: `${name.toLowerCase().replace(/[^a-z]/g, '.')}.${staff.length}@${jurisdiction.toLowerCase()}.example`,
      employeeRef: `${jurisdiction}-${String(staff.length).padStart(6, '0')}`,
    });
    // A fixed fake seal (the bench's `unseal` reverses it): the shape the vault writes, no real key.
    const personalData = {
      ciphertext: Buffer.from(clear).toString('base64'),
      alg: 'bench-fake',
      keyId: 'bench',
    };
    emit(
      `staff-${member.id}`,
      'StaffMemberRegistered',
      {
        staffId: member.id,
        role: member.role,
        agency,
        jurisdiction,
        institution: member.institution,
        personalData,
      },
      at,
      jurisdiction,
    );
    staff.push(member);
    staffBy.set(member.id, member);
    activeIn.get(jurisdiction)!.push(member);
    if (member.trainer) {
      trainersIn.get(jurisdiction)!.push(member);
      certify(member, 'risk-assessment', 'trainer', at + 3600_000, {
        kind: 'external',
        issuer: 'regional-academy',
        reference: `TT-${staff.length}`,
      });
    }
    return member;
  };

  const activeSample = (jurisdictions: readonly string[], count: number): Staff[] => {
    const chosen = new Set<Staff>();
    for (let tries = 0; chosen.size < count && tries < count * 4; tries += 1) {
      const pool = activeIn.get(pick(jurisdictions))!;
      if (pool.length === 0) continue;
      const member = pool[Math.floor(random() * pool.length)];
      if (member.active) chosen.add(member);
    }
    return [...chosen];
  };

  const scheduleSession = (at: number): void => {
    const home = pick(JURISDICTIONS);
    const jurisdictions = random() < 0.15 ? [home, pick(JURISDICTIONS.filter((c) => c !== home))] : [home];
    const participants = activeSample(jurisdictions, between(6, 14));
    if (participants.length < 3) return;
    const trainerPool = jurisdictions.flatMap((c) => trainersIn.get(c)!.filter((t) => t.active));
    const trainers = trainerPool.length > 0 ? [pick(trainerPool)] : [];
    const programme = pick(programmes);
    const sessionId = randomUUID();
    const stream = `session-${sessionId}`;
    const startsAt = at + between(7, 30) * DAY;
    const hours = programme.level === 'awareness' ? 6 : 16;
    const endsAt = startsAt + (hours > 8 ? 2 * DAY : 8 * 3600_000);
    sessions += 1;
    emit(
      stream,
      'SessionScheduled',
      {
        sessionId,
        programmeId: programme.id,
        competencies: [{ competency: programme.competency, level: programme.level }],
        startsAt: iso(startsAt),
        endsAt: iso(endsAt),
        location: `${home} training centre`,
        jurisdictions,
        agencies: [...new Set(participants.map((p) => p.agency))],
        trainers: trainers.map((t) => t.id),
        capacity: 16,
      },
      at,
      home,
    );
    participants.forEach((p, i) => {
      const enrolledAt = at + (i + 1) * 3600_000;
      agenda.push(enrolledAt, () =>
        emit(
          stream,
          'ParticipantEnrolled',
          { sessionId, staffId: p.id, agency: p.agency, jurisdiction: p.jurisdiction },
          enrolledAt,
          home,
        ),
      );
    });
    agenda.push(endsAt, () => {
      const closeAt = endsAt + 2 * 3600_000;
      const passed: { member: Staff; assessment: string }[] = [];
      for (const p of participants) {
        const roll = random();
        const attendance = roll < 0.85 ? 'present' : roll < 0.93 ? 'partial' : 'absent';
        emit(
          stream,
          'AttendanceRecorded',
          {
            sessionId,
            staffId: p.id,
            attendance,
            hours: attendance === 'present' ? hours : attendance === 'partial' ? hours / 2 : 0,
          },
          endsAt,
          home,
        );
        if (attendance !== 'present') continue;
        const score = between(40, 100);
        const result = score >= 60 ? 'passed' : 'failed';
        const assessment = emit(
          stream,
          'AssessmentRecorded',
          { sessionId, staffId: p.id, result, score },
          endsAt + 3600_000,
          home,
        );
        if (result === 'passed') passed.push({ member: p, assessment });
      }
      emit(stream, 'SessionClosed', { sessionId }, closeAt, home);
      for (const { member, assessment } of passed) {
        if (member.active)
          certify(member, programme.competency, programme.level, closeAt + 3600_000, {
            kind: 'session',
            sessionId,
            assessmentEventId: assessment,
          });
      }
    });
  };

  const formTeam = (at: number): void => {
    const jurisdiction = pick(JURISDICTIONS);
    const teamId = randomUUID();
    const stream = `team-${teamId}`;
    const team: Team = { id: teamId, jurisdiction, members: new Set() };
    const kind = pick(['prison', 'probation', 'joint', 'joint'] as const);
    emit(
      stream,
      'TeamFormed',
      {
        teamId,
        name: `${jurisdiction} case team ${teams.length + 1}`,
        jurisdiction,
        institutions: [pick(institutions[jurisdiction].prison), pick(institutions[jurisdiction].probation)],
        kind,
        caseRef: `CASE-${jurisdiction}-${between(100000, 999999)}`,
        requiredDisciplines: [
          { role: 'prison-officer', minCount: 1 },
          { role: 'probation-officer', minCount: 1 },
        ],
      },
      at,
      jurisdiction,
    );
    teams.push(team);
    const members = activeSample([jurisdiction], between(3, 6));
    members.forEach((member, i) => {
      const assignedAt = at + (i + 1) * DAY;
      agenda.push(assignedAt, () => {
        if (!member.active) return;
        const qualification = (requirements.get(member.role) ?? []).map((need) => {
          const cert = member.certs.get(need.competency);
          const met = !!cert && LEVELS.indexOf(cert.level) >= LEVELS.indexOf(need.minLevel);
          return {
            role: member.role,
            competency: need.competency,
            requiredLevel: need.minLevel,
            met,
            certificationId: cert?.id ?? null,
            level: cert?.level ?? null,
            validUntil: cert ? iso(cert.validUntil) : null,
          };
        });
        emit(
          stream,
          'MemberAssigned',
          {
            teamId,
            staffId: member.id,
            teamRole: member.role,
            agency: member.agency,
            assignedBy: `user-${jurisdiction.toLowerCase()}-1`,
            qualification,
            requirementsVersion: frameworkVersion,
            override: null,
          },
          assignedAt,
          jurisdiction,
        );
        team.members.add(member.id);
        member.teams.add(teamId);
        if (i === 0)
          emit(
            stream,
            'TeamLeadDesignated',
            { teamId, staffId: member.id },
            assignedAt + 60_000,
            jurisdiction,
          );
        if (random() < 0.35) {
          const releasedAt = assignedAt + between(60, 500) * DAY;
          agenda.push(releasedAt, () => {
            if (!team.members.has(member.id)) return;
            team.members.delete(member.id);
            member.teams.delete(teamId);
            emit(
              stream,
              'MemberReleased',
              { teamId, staffId: member.id, reason: 'case plan changed' },
              releasedAt,
              jurisdiction,
            );
          });
        }
      });
    });
    const operationalAt = at + (members.length + 1) * DAY;
    agenda.push(operationalAt, () =>
      emit(stream, 'TeamDeclaredOperational', { teamId }, operationalAt, jurisdiction),
    );
  };

  const changeStaff = (at: number): void => {
    const member = pick(staff);
    if (!member?.active) return;
    const stream = `staff-${member.id}`;
    const roll = random();
    if (roll < 0.5) {
      const from = {
        agency: member.agency,
        jurisdiction: member.jurisdiction,
        institution: member.institution,
      };
      member.institution = pick(institutions[member.jurisdiction][member.agency]);
      emit(
        stream,
        'StaffMemberTransferred',
        {
          staffId: member.id,
          agency: member.agency,
          jurisdiction: member.jurisdiction,
          institution: member.institution,
          from,
        },
        at,
        member.jurisdiction,
      );
    } else if (roll < 0.85) {
      const previousRole = member.role;
      member.role = pick(ROLES[member.agency]);
      if (member.role !== previousRole)
        emit(
          stream,
          'StaffMemberRoleChanged',
          { staffId: member.id, role: member.role, previousRole },
          at,
          member.jurisdiction,
        );
    } else {
      member.active = false;
      for (const teamId of member.teams) {
        emit(
          `team-${teamId}`,
          'MemberReleased',
          { teamId, staffId: member.id, reason: 'left the service' },
          at,
          member.jurisdiction,
        );
        teams.find((t) => t.id === teamId)?.members.delete(member.id);
      }
      member.teams.clear();
      emit(stream, 'StaffMemberLeft', { staffId: member.id }, at + 60_000, member.jurisdiction);
    }
  };

  // ------------------------------------------------------------------ the clock
  let clock = START;
  let spawns = 0;
  let v2Done = false;
  while (emitted < total) {
    while (agenda.size > 0 && agenda.peek() <= clock && emitted < total) agenda.pop()();
    if (emitted >= total) break;
    if (!v2Done && clock > START + (END - START) / 2) {
      v2Done = true;
      frameworkVersion = 'v2';
      defineFramework('v2', clock, true);
      for (const code of JURISDICTIONS) {
        const from = clock + between(30, 120) * DAY;
        emit(
          `jurisdiction-${code}`,
          'FrameworkAdopted',
          { jurisdiction: code, version: 'v2', effectiveFrom: iso(from) },
          clock + DAY,
          code,
        );
      }
    }
    const roll = random();
    const hiring = staff.length < staffTarget * Math.min(1, 0.3 + (clock - START) / (END - START));
    if (staff.length < 60 || (hiring && roll < 0.45)) register(clock);
    else if (roll < 0.75) scheduleSession(clock);
    else if (roll < 0.85) formTeam(clock);
    else changeStaff(clock);
    spawns += 1;
    recordingFloor = clock;
    await release(clock);
    // Spread the spawns so the log ends near END: the events per spawn so far tell how many are left.
    const perSpawn = Math.max(1, emitted / spawns);
    const remainingSpawns = Math.max(1, (total - emitted) / perSpawn);
    clock += Math.max(1000, (END - clock) / remainingSpawns);
  }
  if (options.crowd) {
    // A crowded jurisdiction, registered over the log's last two years, each with a few
    // certifications (some still valid, some expired by now): what the eligibility check judges.
    const { jurisdiction, activeStaff } = options.crowd;
    const active = () => activeIn.get(jurisdiction)!.filter((m) => m.active).length;
    for (let missing = activeStaff - active(); missing > 0; missing -= 1) {
      const at = END - between(1, 730) * DAY;
      const member = register(at, jurisdiction);
      for (const competency of COMPETENCIES.filter(() => random() < 0.5))
        certify(member, competency, pick(['awareness', 'specialised', 'expert'] as const), at + DAY, {
          kind: 'external',
          issuer: 'regional-academy',
          reference: `RA-${between(10000, 99999)}`,
        });
    }
  }
  await release(Number.POSITIVE_INFINITY);
  await flush();
  await inFlight;

  const sampleStaff = staff
    .filter((s) => s.certs.size > 0)
    .slice(0, 200)
    .map((s) => s.id);
  return {
    events: written,
    streams: heads.size,
    staff: staff.length,
    sessions,
    teams: teams.length,
    byType,
    sampleStaff,
    sampleTeams: teams
      .filter((t) => t.members.size > 0)
      .slice(0, 200)
      .map((t) => t.id),
    firstAt: iso(firstAt),
    lastAt: iso(lastAt),
  };
}

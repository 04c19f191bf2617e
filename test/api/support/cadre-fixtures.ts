import { randomUUID } from 'node:crypto';
import {
  frameworkDecider,
  jurisdictionDecider,
  staffDecider,
  staffStream,
  type Agency,
  type DecisionContext,
  type DomainCommand,
  type DomainEvent,
  type FrameworkCommand,
  type FrameworkState,
  type Level,
  type StaffCommand,
  type Decider,
} from '@cadre/domain';
import type { Actor } from '@cadre/kernel';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { handleCommand, loadAggregate } from '@cadre/command-handling';
import type pg from 'pg';
import { PG_POOL } from '@cadre/command-handling/nest';
import type { PlatformTestApp } from '../../platform/support/platform-test-app.js';

/** The sample framework the api tests share: one version, adopted by AL and RS since 2020. */
export const SAMPLE_VERSION = 'v1';
export const SAMPLE_ADOPTED_FROM = '2020-01-01T00:00:00.000Z';
/** The sample's competencies, each defined at every level. */
export const SAMPLE_COMPETENCIES = [
  'radicalisation-awareness',
  'dynamic-security',
  'vep-risk-assessment',
  'multi-agency-working',
] as const;
const ROLES = ['trainer', 'probation-officer', 'psychologist', 'front-line-security-officer', 'manager'];
/** Requirement: role → competency → level (the sample names no all-staff requirement). */
const REQUIREMENTS: readonly [string, string, Level][] = [
  ['probation-officer', 'radicalisation-awareness', 'specialised'],
  ['psychologist', 'vep-risk-assessment', 'specialised'],
  ['psychologist', 'radicalisation-awareness', 'awareness'],
  ['front-line-security-officer', 'dynamic-security', 'awareness'],
];

const ADMIN: Actor = { sub: 'fixture-admin', roles: ['admin'], jurisdictions: ['*'] };
const DAY_MS = 86_400_000;

export interface StaffSpec {
  readonly agency?: Agency;
  readonly jurisdiction?: string;
  readonly institution?: string;
  readonly role?: string;
  /** Back-dates the registration (with a reason), for histories that start before today. */
  readonly registeredAt?: string;
}

/**
 * What the api tests need before they speak HTTP: the framework in force, staff members and their
 * certifications, appended through the deciders (`handleCommand`) straight to the app's store.
 * Staff registration over HTTP lives elsewhere; the journey test uses it.
 */
export class CadreFixtures {
  private constructor(
    readonly store: EventStore,
    private readonly pool: pg.Pool,
  ) {}

  static of(subject: PlatformTestApp): CadreFixtures {
    return new CadreFixtures(subject.app.get<EventStore>(EVENT_STORE), subject.app.get<pg.Pool>(PG_POOL));
  }

  /** On a store and pool of the test's own (an api running in another process, say). */
  static on(store: EventStore, pool: pg.Pool): CadreFixtures {
    return new CadreFixtures(store, pool);
  }

  /**
   * `store.headPosition()` once it shows every event already committed. The head trails the
   * appenders' horizon (decision 0005), which an append still running holds back (the in-process
   * worker's, for one), so "the head did not move" is only meaningful between two settled reads.
   */
  async head(): Promise<string | null> {
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT tx_id::text || '-' || seq::text AS position FROM cadre_es.events ORDER BY tx_id DESC, seq DESC LIMIT 1`,
    );
    // In the store's spelling of today (the SQL spells it as earlier versions did).
    const written = rows[0] ? this.store.parsePosition(rows[0].position) : null;
    for (let waited = 0; ; waited += 10) {
      const head = await this.store.headPosition();
      if (head === written || waited > 10_000) return head;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Drafts, fills and publishes the sample framework, and has each jurisdiction adopt it. */
  async sampleFramework(jurisdictions: readonly string[] = ['AL', 'RS']): Promise<void> {
    const version = SAMPLE_VERSION;
    const framework = (command: FrameworkCommand) =>
      this.run(`framework-${version}`, frameworkDecider, command);
    await framework({ type: 'DraftFrameworkVersion', data: { version, title: 'Sample framework' } });
    for (const role of ROLES) await framework({ type: 'DefineRole', data: { version, role, title: role } });
    const policy = { validityMonths: 24, recertificationWindowDays: 60 };
    for (const competency of SAMPLE_COMPETENCIES) {
      const levels = { awareness: policy, specialised: policy, expert: policy, trainer: policy };
      await framework({ type: 'DefineCompetency', data: { version, competency, title: competency, levels } });
    }
    for (const [role, competency, minLevel] of REQUIREMENTS) {
      await framework({ type: 'DefineRoleRequirement', data: { version, role, competency, minLevel } });
    }
    await framework({ type: 'PublishFrameworkVersion', data: { version } });
    await this.adopt(jurisdictions);
  }

  /**
   * Each jurisdiction adopts a published version since 2020, or from `effectiveFrom` (no HTTP
   * route for adoptions yet: the journey test uses this too).
   */
  async adopt(
    jurisdictions: readonly string[],
    version = SAMPLE_VERSION,
    effectiveFrom = SAMPLE_ADOPTED_FROM,
  ): Promise<void> {
    const published = (await loadAggregate(this.store, `framework-${version}`, frameworkDecider)).state;
    for (const jurisdiction of jurisdictions) {
      await this.run(
        `jurisdiction-${jurisdiction}`,
        jurisdictionDecider,
        { type: 'AdoptFramework', data: { jurisdiction, version, effectiveFrom } },
        (_state, base) => ({ ...base, framework: published }),
      );
    }
  }

  /** The jurisdiction adds a requirement on top of the sample, from `effectiveFrom` (default: now). */
  async addRequirement(
    jurisdiction: string,
    requirement: { role: string; competency: string; minLevel: Level; effectiveFrom?: string },
  ): Promise<void> {
    const framework = await this.framework();
    await this.run(
      `jurisdiction-${jurisdiction}`,
      jurisdictionDecider,
      { type: 'AddJurisdictionRequirement', data: { jurisdiction, ...requirement } },
      (_state, base) => ({ ...base, framework }),
    );
  }

  /** Registers a staff member (sealed-looking personal data) and returns their id. */
  async staff(spec: StaffSpec = {}): Promise<string> {
    const staffId = randomUUID();
    const framework = await this.framework();
    await this.staffCommand(
      {
        type: 'RegisterStaffMember',
        data: {
          staffId,
          agency: spec.agency ?? 'probation',
          jurisdiction: spec.jurisdiction ?? 'AL',
          institution: spec.institution ?? 'Probation office Tirana',
          role: spec.role ?? 'probation-officer',
          personalData: { ciphertext: randomUUID(), keyId: 'fixture', iv: 'fixture', tag: 'fixture' },
        },
        ...(spec.registeredAt
          ? { metadata: { occurredAt: spec.registeredAt, reason: 'Registered from paper records' } }
          : {}),
      },
      framework,
    );
    return staffId;
  }

  /** Awards a certification on external evidence, valid from `validFrom` (default: 30 days ago). */
  async certify(
    staffId: string,
    competency: string,
    level: Level,
    validFrom: string = new Date(Date.now() - 30 * DAY_MS).toISOString(),
  ): Promise<string> {
    const result = await this.staffCommand(
      {
        type: 'AwardCertification',
        data: {
          staffId,
          competency,
          level,
          validFrom,
          evidence: { kind: 'external', issuer: 'Fixture academy', reference: randomUUID() },
        },
      },
      await this.framework(),
    );
    return (result.events[0]?.data as { certificationId: string }).certificationId;
  }

  /** A trainer-level trainer of every sample competency, in `jurisdiction`. */
  async trainer(jurisdiction = 'AL'): Promise<string> {
    const staffId = await this.staff({ agency: 'prison', jurisdiction, role: 'trainer' });
    for (const competency of SAMPLE_COMPETENCIES) await this.certify(staffId, competency, 'trainer');
    return staffId;
  }

  async transfer(staffId: string, to: { jurisdiction?: string; agency?: Agency; institution: string }) {
    await this.staffCommand(
      { type: 'TransferStaffMember', data: { staffId, ...to } },
      await this.framework(),
    );
  }

  async leaves(staffId: string): Promise<void> {
    await this.staffCommand({ type: 'RecordStaffDeparture', data: { staffId } }, await this.framework());
  }

  async revoke(
    staffId: string,
    certificationId: string,
    metadata?: { occurredAt: string; reason: string },
  ): Promise<void> {
    await this.staffCommand(
      {
        type: 'RevokeCertification',
        data: { staffId, certificationId, reason: 'Fixture revocation' },
        ...(metadata ? { metadata } : {}),
      },
      await this.framework(),
    );
  }

  /** Voids a certification record (an award or a renewal) of the member's stream by its event id. */
  async voidRecord(staffId: string, targetEventId: string): Promise<void> {
    await this.run(staffStream(staffId), staffDecider, {
      type: 'VoidRecord',
      data: { targetEventId, reason: 'Fixture correction' },
    });
  }

  async framework(): Promise<FrameworkState> {
    return (await loadAggregate(this.store, `framework-${SAMPLE_VERSION}`, frameworkDecider)).state;
  }

  private staffCommand(command: Exclude<StaffCommand, { type: 'VoidRecord' }>, framework: FrameworkState) {
    if (framework.status === 'none') throw new Error('Seed the sample framework first.');
    return this.run(staffStream(command.data.staffId), staffDecider, command, (_state, base) => ({
      ...base,
      framework,
    }));
  }

  private run<
    Command extends DomainCommand,
    Event extends DomainEvent,
    State,
    Context extends DecisionContext,
  >(
    stream: string,
    decider: Decider<Command, Event, State, Context>,
    command: Command,
    context?: (state: State, base: DecisionContext) => Context,
  ) {
    return handleCommand(
      this.store,
      { stream, decider, command, context },
      { actor: ADMIN, correlationId: randomUUID(), now: () => new Date() },
    );
  }
}

import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Server } from 'node:http';
import request from 'supertest';
import { ManualClock } from '@cadre/kernel';
import { ProjectionWorker } from '@cadre/subscriptions/nest';
import {
  ADMITTED,
  BASE,
  DAY,
  HOUR,
  TEAM_JURISDICTION,
  interpret,
  mixedIntentsArb,
  personFacts,
  planArb,
  registrationArb,
  ruleFacts,
  worldArb,
  type LogItem,
  type Plan,
} from '../../libs/domain/src/testing/qualification-history.arbitraries.js';
import { oracleJudge, type OracleRequirement } from '../../libs/domain/src/testing/qualification.oracle.js';
import { ProcessManagerWorker } from '../../apps/worker/src/processes/process-manager.worker.js';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';

/**
 * Issue 10, item 7 (end to end): 20 histories generated as the in-memory model test generates them
 * (`libs/domain/src/team/qualification.model.spec.ts`), each replayed over HTTP on a fresh app whose
 * clock the test moves (`ManualClock`: commands, the schedule's notices and record time all read
 * it). At every step the recorded standing, the rule judged now (`GET /v1/teams/{id}`), readiness
 * and eligibility must agree with the independent oracle. Fixed seed; `CADRE_FC_SEED` replays.
 */
const SEED = Number(process.env['CADRE_FC_SEED'] ?? 20261207);
const HISTORIES = Number(process.env['CADRE_HISTORIES'] ?? 20);
const iso = (ms: number) => new Date(ms).toISOString();

const historyArb = fc.record({
  world: worldArb,
  registration: registrationArb,
  steps: mixedIntentsArb,
  plan: planArb,
});
const sample = () => fc.sample(historyArb, { numRuns: HISTORIES, seed: SEED });
type History = ReturnType<typeof sample>[number];

describe('generated histories over HTTP with the injected clock: standing, readiness and eligibility follow the oracle', () => {
  let subject: PlatformTestApp | undefined;
  afterEach(async () => {
    await subject?.close();
    subject = undefined;
  });
  const totals = { assigned: 0, lapses: 0, checks: 0 };

  it.each(sample().map((history, index) => [index + 1, history] as const))(
    'history %i',
    async (_index, history) => {
      const clock = new ManualClock(iso(BASE - 400 * DAY - HOUR));
      subject = await startPlatformTestApp({ clock });
      const outcome = await replay(subject, clock, history);
      totals.assigned += outcome.assigned ? 1 : 0;
      totals.lapses += outcome.lapses;
      totals.checks += outcome.checks;
    },
    180_000,
  );

  it('the histories reached assignments and lapses (the generator is not idle)', () => {
    expect(totals.assigned).toBeGreaterThanOrEqual(8);
    expect(totals.lapses).toBeGreaterThanOrEqual(3);
    expect(totals.checks).toBeGreaterThanOrEqual(60);
  });
});

interface Outcome {
  readonly assigned: boolean;
  readonly lapses: number;
  readonly checks: number;
}

async function replay(subject: PlatformTestApp, clock: ManualClock, history: History): Promise<Outcome> {
  const { world, steps, plan } = history;
  const server: Server = subject.app.getHttpServer();
  const fixtures = CadreFixtures.of(subject);
  const admin = `Bearer ${await subject.token({ sub: 'admin', roles: ['admin'], jurisdictions: ['*'] })}`;
  const alice = `Bearer ${await subject.token({ sub: 'alice', roles: ['manager'], jurisdictions: ['AL'] })}`;
  const bob = `Bearer ${await subject.token({ sub: 'bob', roles: ['manager'], jurisdictions: ['AL'] })}`;
  const send = (path: string, body: object, token = admin) =>
    request(server).post(path).set('Authorization', token).send(body);
  const ok = async (path: string, body: object, token = admin) => {
    const response = await send(path, body, token);
    if (response.status >= 300)
      throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response;
  };
  const processes = subject.app.get(ProcessManagerWorker);
  const projections = subject.app.get(ProjectionWorker);
  /** Every process and projection has handled the log up to a head that no longer moves. */
  const settle = async () => {
    for (let i = 0; i < 400; i += 1) {
      const head = await fixtures.head();
      const lags = [...(await processes.measure()), ...(await projections.measure())];
      if (lags.every((lag) => lag.lagEvents === 0) && (await fixtures.head()) === head) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the worker never caught up with the log');
  };
  const tick = async () => {
    await processes.tick();
    await settle();
  };

  // The regional framework as generated, published; AL and RS adopt v1 long before the log starts.
  for (const [version, definition] of Object.entries(world.frameworks)) {
    await ok('/v1/frameworks', { version, title: version });
    for (const role of Object.keys(definition.roles))
      await ok(`/v1/frameworks/${version}/roles`, { role, title: role });
    for (const [competency, { levels }] of Object.entries(definition.competencies))
      await ok(`/v1/frameworks/${version}/competencies`, { competency, title: competency, levels });
    for (const { role, competency, minLevel } of definition.requirements)
      await ok(`/v1/frameworks/${version}/requirements`, { role, competency, minLevel });
    await ok(`/v1/frameworks/${version}/publish`, {});
  }
  for (const code of [TEAM_JURISDICTION, 'RS'])
    await ok(`/v1/jurisdictions/${code}/framework-adoptions`, {
      version: 'v1',
      effectiveFrom: iso(BASE - 400 * DAY),
    });

  // The member: mostly of an agency the team admits (as the model test draws them).
  const admitted = ADMITTED[plan.kind];
  const misfit = plan.fit && !admitted.includes(history.registration.agency);
  const registration = {
    ...history.registration,
    agency: misfit ? admitted[0]! : history.registration.agency,
  };
  const after = plan.after % steps.length;
  const race = plan.mode === 'racing' ? { after, cert: plan.cert } : undefined;
  const items = interpret(world, 's-1', registration, steps, race);
  const [registered, ...rest] = items;
  if (registered?.event.type !== 'StaffMemberRegistered')
    throw new Error('the log starts with the registration');

  clock.set(iso(BASE));
  await tick();
  const placement = registered.event.data;
  const staffId = (
    await ok('/v1/staff', {
      agency: placement.agency,
      jurisdiction: placement.jurisdiction,
      institution: placement.institution,
      role: 'psychologist',
      name: 'Generated Person',
      email: 'generated@example.org',
      employeeRef: 'GEN-0001',
      occurredAt: registered.event.metadata?.occurredAt,
      reason: 'Registered from paper records',
    })
  ).body.id as string;
  const teamId = (
    await ok(
      '/v1/teams',
      {
        name: 'Generated MDT',
        jurisdiction: TEAM_JURISDICTION,
        institutions: ['inst-0'],
        kind: plan.kind,
        caseRef: 'CASE-GEN',
        requiredDisciplines: [{ role: plan.teamRole, minCount: 1 }],
      },
      alice,
    )
  ).body.id as string;

  // What the server accepted, in the order recorded: the oracle judges exactly that.
  const accepted: LogItem[] = [registered];
  const certificationIds = new Map<string, string>();
  const eventIds = new Map<string, string>();
  const staffPath = `/v1/staff/${staffId}`;
  const record = async (item: LogItem): Promise<void> => {
    const { event } = item;
    const when = { occurredAt: event.metadata?.occurredAt, reason: 'recorded as it happened' };
    const cert = (id: string) => `${staffPath}/certifications/${certificationIds.get(id)}`;
    switch (event.type) {
      case 'CertificationAwarded':
      case 'CertificationRenewed': {
        const { certificationId, validFrom } = event.data;
        const evidence = { issuer: 'issuer', reference: event.metadata!.eventId! };
        const response =
          event.type === 'CertificationAwarded'
            ? await ok(`${staffPath}/certifications`, {
                competency: event.data.competency,
                level: event.data.level,
                validFrom,
                evidence,
              })
            : await ok(`${cert(certificationId)}/renew`, { validFrom, evidence });
        certificationIds.set(certificationId, response.body.id as string);
        const recorded = (await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!;
        // The server works validity out from the framework: it must be the period generated.
        expect({
          type: recorded.type,
          validUntil: (recorded.data as { validUntil: string }).validUntil,
        }).toEqual({
          type: event.type,
          validUntil: event.data.validUntil,
        });
        eventIds.set(event.metadata!.eventId!, recorded.eventId);
        break;
      }
      case 'CertificationSuspended':
        await ok(`${cert(event.data.certificationId)}/suspend`, when);
        break;
      case 'CertificationReinstated':
        await ok(`${cert(event.data.certificationId)}/reinstate`, when);
        break;
      case 'CertificationRevoked':
        await ok(`${cert(event.data.certificationId)}/revoke`, when);
        break;
      case 'RecordVoided':
        await ok(`/v1/records/${eventIds.get(event.data.targetEventId)}/void`, {
          reason: 'recorded in error',
        });
        break;
      case 'CertificationExpired':
        return; // the schedule records it by the clock (the tick before each step)
      case 'StaffMemberTransferred':
        await ok(`${staffPath}/transfers`, {
          institution: event.data.institution,
          jurisdiction: event.data.jurisdiction,
          agency: event.data.agency,
          ...when,
        });
        break;
      case 'StaffMemberLeft':
        await ok(`${staffPath}/departure`, when);
        break;
      case 'FrameworkAdopted':
        await ok(`/v1/jurisdictions/${TEAM_JURISDICTION}/framework-adoptions`, {
          version: event.data.version,
          effectiveFrom: event.data.effectiveFrom,
          reason: 'the regional matrix changed',
        });
        break;
      case 'JurisdictionRequirementAdded': {
        // The generator may repeat or lower a requirement in force, which the jurisdiction refuses.
        const response = await send(`/v1/jurisdictions/${TEAM_JURISDICTION}/requirements`, {
          role: event.data.role,
          competency: event.data.competency,
          minLevel: event.data.minLevel,
          effectiveFrom: event.data.effectiveFrom,
          reason: 'the jurisdiction raised its standard',
        });
        if (response.status === 422 && response.body.code === 'JURISDICTION.REQUIREMENT_NOT_STRICTER') return;
        if (response.status >= 300) throw new Error(`the addition answered ${JSON.stringify(response.body)}`);
        break;
      }
      default:
        throw new Error(`no HTTP route replays ${event.type}`);
    }
    accepted.push(item);
  };

  // The assignment comes an hour after step `after` was recorded (as in the model test).
  const recordedAfter = BASE + steps.slice(0, after + 1).reduce((sum, s) => sum + s.gapHours, 0) * HOUR;
  const assignNow = recordedAfter + HOUR;
  const assignedAt = plan.mode === 'backdated' ? assignNow - plan.backDays * DAY : assignNow;
  const oracle = (excused: readonly OracleRequirement[], t: number) =>
    oracleJudge(world.versions, ruleFacts(accepted), personFacts(accepted), question(plan, excused), t);

  let excused: readonly OracleRequirement[] | null = null; // null: not serving
  let checks = 0;
  const check = async (t: number) => {
    await settle();
    const team = (await request(server).get(`/v1/teams/${teamId}`).set('Authorization', alice).expect(200))
      .body;
    // A failure shows the instant and the log the oracle judged (each fact with its record time).
    const where = {
      at: iso(t),
      seed: SEED,
      log: accepted.map((item) => `recorded ${iso(item.recordedAt)}: ${JSON.stringify(item.fact)}`),
    };
    const eligibility = await request(server)
      .get(`/v1/teams/${teamId}/eligible-staff?teamRole=${plan.teamRole}`)
      .set('Authorization', alice);
    // A version in force that no longer defines the role: nobody is eligible (422, as the command).
    const candidates =
      eligibility.status === 422 && eligibility.body.code === 'TEAM.UNKNOWN_ROLE' ? [] : null;
    if (candidates === null)
      expect({ ...where, status: eligibility.status }).toEqual({ ...where, status: 200 });
    type Candidate = { staffId: string; qualified: boolean; eligible: boolean; currentMember: boolean };
    const items = (candidates ?? eligibility.body.items) as Candidate[];
    // `qualified` is the rule's answer; `eligible` adds "not serving on the team already".
    const listed = items.find((candidate) => candidate.staffId === staffId);
    const qualified = oracle([], t).qualified;
    expect({ ...where, qualified: listed?.qualified ?? false, eligible: listed?.eligible ?? false }).toEqual({
      ...where,
      qualified,
      eligible: qualified && excused === null,
    });
    checks += 1;
    if (excused === null) return;
    const answer = oracle(excused, t);
    const member = team.members[staffId];
    expect({ ...where, standing: member.standing.status, now: member.now.qualified }).toEqual({
      ...where,
      standing: answer.qualified ? 'qualified' : 'lapsed',
      now: answer.qualified,
    });
    const counted = answer.qualified ? [answer.agency] : [];
    expect({ ...where, readiness: team.readiness }).toEqual({
      ...where,
      readiness: expect.objectContaining({
        missing: answer.qualified ? [] : [{ role: plan.teamRole, required: 1, present: 0 }],
        agenciesMissing:
          plan.kind === 'joint' ? ['prison', 'probation'].filter((agency) => !counted.includes(agency)) : [],
      }),
    });
  };

  const assign = async () => {
    const atAssignment = oracle([], assignedAt);
    const when = plan.mode === 'backdated' ? { occurredAt: iso(assignedAt), reason: 'recorded late' } : {};
    const body = { staffId, teamRole: plan.teamRole, ...when };
    const response = await send(`/v1/teams/${teamId}/members`, body, alice);
    if (atAssignment.barrier !== null) {
      expect({ barrier: atAssignment.barrier, status: response.status }).toEqual({
        barrier: atAssignment.barrier,
        status: 422,
      });
      return;
    }
    if (atAssignment.qualified) {
      expect({ status: response.status, body: response.status === 200 ? null : response.body }).toEqual({
        status: 200,
        body: null,
      });
      excused = [];
      return;
    }
    expect({ status: response.status, code: response.body.code }).toEqual({
      status: 422,
      code: 'TEAM.MEMBER_NOT_QUALIFIED',
    });
    const requested = await send(
      `/v1/teams/${teamId}/members`,
      { ...body, override: { justification: 'the only one on site' } },
      alice,
    ).expect(202);
    await ok(`/v1/teams/${teamId}/overrides/${requested.body.overrideId}/approve`, when, bob);
    excused = atAssignment.unmet;
  };

  // Every step in record order: the clock moves to it, the schedule sends what fell due, the step
  // is recorded, the processes settle, and the answers are checked at that instant.
  const actions = [
    ...rest.map((item) => ({ at: item.recordedAt, run: () => record(item) })),
    { at: assignNow, run: assign },
  ].sort((a, b) => a.at - b.at);
  const end = Math.max(...actions.map((a) => a.at)) + plan.endGapHours * HOUR;
  for (const action of [...actions, { at: end, run: async () => undefined }]) {
    clock.set(iso(action.at));
    await tick();
    await action.run();
    await check(action.at);
  }
  const lapses = (await fixtures.store.readStream(`team-${teamId}`)).filter((e) => e.type === 'MemberLapsed');
  return { assigned: excused !== null, lapses: lapses.length, checks };
}

function question(plan: Plan, excused: readonly OracleRequirement[]) {
  return { teamKind: plan.kind, teamJurisdiction: TEAM_JURISDICTION, teamRole: plan.teamRole, excused };
}

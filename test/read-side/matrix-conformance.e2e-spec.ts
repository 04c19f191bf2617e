import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  frameworkDecider,
  jurisdictionDecider,
  type FrameworkCommand,
  type JurisdictionCommand,
} from '@cadre/domain';
import type { Actor } from '@cadre/kernel';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { handleCommand, loadAggregate } from '@cadre/command-handling';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { eventually } from './team-audit.fixtures.js';

const REGIONAL: Actor = { sub: 'coord', roles: ['training-coordinator', 'admin'], jurisdictions: ['*'] };

interface Cell {
  role: string;
  competency: string;
  baselineLevel: string | null;
  level: string | null;
  status: string;
}
interface Jurisdiction {
  jurisdiction: string;
  adoptedVersion: string | null;
  conforms: boolean;
  adoptions: { version: string; from: string; to: string | null }[];
  matrix: Cell[];
}

describe('GET /v1/audit/matrix', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let store: EventStore;
  let auditor: string;
  let regionalAuditor: string;
  let beforeV2: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    store = subject.app.get<EventStore>(EVENT_STORE);
    auditor = `Bearer ${await subject.token({ sub: 'aud', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    regionalAuditor = `Bearer ${await subject.token({ sub: 'reg', roles: ['auditor'], jurisdictions: ['*'] })}`;
    await CadreFixtures.of(subject).sampleFramework(['AL', 'RS']);
    await jurisdiction('AL', {
      type: 'AddJurisdictionRequirement',
      data: {
        jurisdiction: 'AL',
        role: 'probation-officer',
        competency: 'dynamic-security',
        minLevel: 'awareness',
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    beforeV2 = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const version = 'v2';
    for (const command of [
      { type: 'DraftFrameworkVersion', data: { version, title: 'Sample framework, second edition' } },
      { type: 'DefineRole', data: { version, role: 'probation-officer', title: 'Probation officer' } },
      {
        type: 'DefineCompetency',
        data: {
          version,
          competency: 'radicalisation-awareness',
          title: 'Radicalisation awareness',
          levels: Object.fromEntries(
            ['awareness', 'specialised', 'expert', 'trainer'].map((l) => [
              l,
              { validityMonths: 24, recertificationWindowDays: 60 },
            ]),
          ),
        },
      },
      {
        type: 'DefineRoleRequirement',
        data: {
          version,
          role: 'probation-officer',
          competency: 'radicalisation-awareness',
          minLevel: 'expert',
        },
      },
      { type: 'PublishFrameworkVersion', data: { version } },
    ] as FrameworkCommand[]) {
      await handleCommand(
        store,
        { stream: `framework-${version}`, decider: frameworkDecider, command },
        envelope(),
      );
    }
    await jurisdiction('RS', {
      type: 'AdoptFramework',
      data: { jurisdiction: 'RS', version: 'v2', effectiveFrom: new Date().toISOString() },
    });
  });
  afterAll(async () => subject?.close());

  const of = (body: { jurisdictions: Jurisdiction[] }, code: string) =>
    body.jurisdictions.find((j) => j.jurisdiction === code)!;
  const cell = (j: Jurisdiction, role: string, competency: string) =>
    j.matrix.find((c) => c.role === role && c.competency === competency);

  it('compares each jurisdiction with the latest published version and shows which version it adopted, from when', async () => {
    // Both facts come from one projection's batches; under load (CI) one answer was seen with RS's
    // adoption of v2 but no baseline yet (not reproduced alone; see the session 7 closing note).
    const { body } = await eventually(
      server,
      '/v1/audit/matrix',
      regionalAuditor,
      (b) =>
        ((b.jurisdictions as Jurisdiction[] | undefined) ?? []).some((j) => j.adoptedVersion === 'v2') &&
        (b.baseline as { version?: string } | null)?.version === 'v2',
    );
    expect(body.baseline).toMatchObject({ version: 'v2' });
    const al = of(body, 'AL');
    expect(al).toMatchObject({ adoptedVersion: 'v1', conforms: false });
    expect(cell(al, 'probation-officer', 'radicalisation-awareness')).toMatchObject({
      baselineLevel: 'expert',
      level: 'specialised',
      status: 'below-baseline',
    });
    expect(cell(al, 'probation-officer', 'dynamic-security')).toMatchObject({
      status: 'additional',
      level: 'awareness',
    });
    const rs = of(body, 'RS');
    expect(rs).toMatchObject({ adoptedVersion: 'v2', conforms: true });
    expect(rs.adoptions.map((a) => a.version)).toEqual(['v1', 'v2']);
    expect(rs.adoptions[0]).toMatchObject({ from: '2020-01-01T00:00:00.000Z', to: expect.any(String) });
  });

  it('answers as of a date and as known at a date: before v2 the baseline was v1 and AL conformed', async () => {
    const { body } = await request(server)
      .get(`/v1/audit/matrix?asOf=${beforeV2}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(body.baseline).toMatchObject({ version: 'v1' });
    expect(body.jurisdictions.map((j: Jurisdiction) => j.jurisdiction)).toEqual(['AL']);
    expect(of(body, 'AL')).toMatchObject({ adoptedVersion: 'v1', conforms: true });
    const known = await request(server)
      .get(`/v1/audit/matrix?knownAt=${beforeV2}`)
      .set('Authorization', auditor)
      .expect(200);
    expect(known.body.baseline).toMatchObject({ version: 'v1' });
    const empty = await request(server)
      .get('/v1/audit/matrix?asOf=2019-01-01')
      .set('Authorization', auditor)
      .expect(200);
    expect(empty.body).toMatchObject({ baseline: null, jurisdictions: [] });
    const csv = await request(server)
      .get('/v1/audit/matrix')
      .set('Authorization', auditor)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'jurisdiction,adoptedVersion,adoptedFrom (UTC),role,competency,baselineLevel,level,source,status',
    );
    await request(server).get('/v1/audit/matrix?jurisdiction=RS').set('Authorization', auditor).expect(403);
    await request(server).get('/v1/audit/matrix?asOf=2024-02-30').set('Authorization', auditor).expect(400);
  });

  function envelope() {
    return { actor: REGIONAL, correlationId: randomUUID(), now: () => new Date() };
  }
  async function jurisdiction(code: string, command: JurisdictionCommand) {
    const version = command.type === 'AdoptFramework' ? command.data.version : 'v1';
    const { state: framework } = await loadAggregate(store, `framework-${version}`, frameworkDecider);
    // Every jurisdiction here adopted v1 first: the version in force when another is adopted.
    const { state: inForce } = await loadAggregate(store, 'framework-v1', frameworkDecider);
    await handleCommand(
      store,
      {
        stream: `jurisdiction-${code}`,
        decider: jurisdictionDecider,
        command,
        context: (_state, base) => ({ ...base, framework, inForce }),
      },
      envelope(),
    );
  }
});

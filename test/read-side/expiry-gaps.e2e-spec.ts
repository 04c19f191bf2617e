import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { TeamFixtures, eventually, manager } from './team-audit.fixtures.js';

const DAY = 86_400_000;
/** A validFrom whose 24-month validity (the sample policy) ends `days` from now. */
const endingIn = (days: number): string => {
  const date = new Date(Date.now() + days * DAY);
  date.setUTCMonth(date.getUTCMonth() - 24);
  return date.toISOString();
};

describe('GET /v1/audit/expiry-gaps', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let auditor: string;
  const who: Record<string, string> = {};

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    auditor = `Bearer ${await subject.token({ sub: 'aud', roles: ['auditor'], jurisdictions: ['AL'] })}`;
    const fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    who.soon = await fixtures.staff();
    await fixtures.certify(who.soon, 'dynamic-security', 'awareness', endingIn(70));
    who.onTeam = await fixtures.staff();
    await fixtures.certify(who.onTeam, 'radicalisation-awareness', 'specialised', endingIn(80));
    who.inWindow = await fixtures.staff({ agency: 'prison', institution: 'Fushë-Krujë' });
    await fixtures.certify(who.inWindow, 'dynamic-security', 'awareness', endingIn(20));
    who.expired = await fixtures.staff();
    await fixtures.certify(who.expired, 'vep-risk-assessment', 'awareness', endingIn(-30));
    who.fine = await fixtures.staff();
    await fixtures.certify(who.fine, 'dynamic-security', 'awareness', endingIn(400));
    who.rs = await fixtures.staff({ jurisdiction: 'RS', institution: 'Belgrade' });
    await fixtures.certify(who.rs, 'dynamic-security', 'awareness', endingIn(10));
    const teams = TeamFixtures.of(subject);
    const teamId = await teams.form(manager('m1'));
    await teams.send(manager('m1'), {
      type: 'AssignMember',
      data: { teamId, staffId: who.onTeam, teamRole: 'probation-officer' },
    });
    await eventually(
      server,
      '/v1/audit/expiry-gaps',
      auditor,
      (b) => (b.items as { onTeam: boolean }[] | undefined)?.some((item) => item.onTeam) === true,
    );
  });
  afterAll(async () => subject?.close());

  const get = (query: string, authorization = auditor) =>
    request(server).get(`/v1/audit/expiry-gaps${query}`).set('Authorization', authorization);
  const gaps = async (query: string) =>
    (await get(query).expect(200)).body.items.map((item: { staffId: string; gap: string }) => [
      Object.keys(who).find((k) => who[k] === item.staffId),
      item.gap,
    ]);

  it('lists team members first, then expired, in-window and expiring by end date', async () => {
    expect(await gaps('')).toEqual([
      ['onTeam', 'expiring'],
      ['expired', 'expired'],
      ['inWindow', 'window-open'],
      ['soon', 'expiring'],
    ]);
    const { body } = await get('').expect(200);
    expect(body.items[0]).toMatchObject({
      onTeam: true,
      competency: 'radicalisation-awareness',
      daysLeft: 80,
    });
    expect(body.within).toBe(90);
  });

  it('narrows to 30 days and filters by competency, agency, institution', async () => {
    expect(await gaps('?within=30')).toEqual([
      ['expired', 'expired'],
      ['inWindow', 'window-open'],
    ]);
    expect(await gaps('?competency=dynamic-security')).toEqual([
      ['inWindow', 'window-open'],
      ['soon', 'expiring'],
    ]);
    expect(await gaps('?agency=prison&institution=Fush%C3%AB-Kruj%C3%AB')).toEqual([
      ['inWindow', 'window-open'],
    ]);
  });

  it('answers as of a past date: a year ago nothing was due yet', async () => {
    const yearAgo = new Date(Date.now() - 365 * DAY).toISOString().slice(0, 10);
    expect(await gaps(`?asOf=${yearAgo}`)).toEqual([]);
  });

  it('pages with a cursor and refuses bad parameters, naming them', async () => {
    const first = await get('?limit=3').expect(200);
    expect(first.body.items).toHaveLength(3);
    const rest = await get(`?limit=3&cursor=${first.body.nextCursor}`).expect(200);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    expect((await get('?within=45').expect(400)).body.parameter).toBe('within');
    expect((await get('?asOf=2024-02-30').expect(400)).body.parameter).toBe('asOf');
  });

  it('keeps to the caller jurisdictions: RS is 403 for an auditor of AL', async () => {
    expect((await get('?jurisdiction=RS').expect(403)).body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    const regional = `Bearer ${await subject.token({ roles: ['auditor'], jurisdictions: ['*'] })}`;
    const { body } = await get('?jurisdiction=RS', regional).expect(200);
    expect(body.items.map((item: { staffId: string }) => item.staffId)).toEqual([who.rs]);
  });

  it('streams a CSV export with UTC times in the header', async () => {
    const csv = await get('?within=30').set('Accept', 'text/csv').expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toContain('validUntil (UTC)');
    expect(lines).toHaveLength(3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import request from 'supertest';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { TeamFixtures, eventually, manager } from './team-audit.fixtures.js';

describe('the lapse inbox: GET /v1/lapses and POST /v1/lapses/{id}/acknowledge', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let managerAL: string;
  let lapseId: string;
  let staffId: string;
  let teamId: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    server = subject.app.getHttpServer();
    managerAL = `Bearer ${await subject.token({ sub: 'mgr-al', roles: ['manager'], jurisdictions: ['AL'] })}`;
    const fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    staffId = await fixtures.staff();
    const certificationId = await fixtures.certify(staffId, 'radicalisation-awareness', 'specialised');
    const teams = TeamFixtures.of(subject);
    teamId = await teams.form(manager('m1'));
    await teams.send(manager('m1'), {
      type: 'AssignMember',
      data: { teamId, staffId, teamRole: 'probation-officer' },
    });
    // The standing process finds the revoked certification was the officer's only one meeting the role.
    await fixtures.revoke(staffId, certificationId);
    const { body } = await eventually(server, '/v1/lapses', managerAL, (b) => b.items?.length === 1);
    lapseId = body.items[0].lapseId;
  });
  afterAll(async () => subject?.close());

  const list = (query: string, authorization = managerAL) =>
    request(server).get(`/v1/lapses${query}`).set('Authorization', authorization);
  const acknowledge = (id: string, authorization = managerAL) =>
    request(server)
      .post(`/v1/lapses/${id}/acknowledge`)
      .set('Authorization', authorization)
      .send({ note: 'Retraining booked' });

  it('shows the lapse to the managers of the team jurisdiction, unacknowledged', async () => {
    const { body } = await list('?acknowledged=false').expect(200);
    expect(body.items).toEqual([
      expect.objectContaining({
        lapseId,
        teamId,
        staffId,
        jurisdiction: 'AL',
        cause: 'revoked',
        acknowledged: null,
      }),
    ]);
    expect((await list('?acknowledged=true').expect(200)).body.items).toEqual([]);
    expect((await list('?jurisdiction=RS').expect(403)).body.code).toBe('ACTOR.OUTSIDE_JURISDICTION');
    expect((await list('?acknowledged=maybe').expect(400)).body.parameter).toBe('acknowledged');
  });

  it('records the acknowledgement as a fact, once, by a manager of that jurisdiction', async () => {
    const managerRS = `Bearer ${await subject.token({ sub: 'mgr-rs', roles: ['manager'], jurisdictions: ['RS'] })}`;
    expect((await acknowledge(lapseId, managerRS).expect(403)).body.code).toBe('LAPSE.NOT_A_MANAGER');
    await acknowledge('00000000-0000-4000-8000-000000000000').expect(404);
    const reply = await acknowledge(lapseId).expect(200);
    expect(reply.body).toMatchObject({ id: lapseId, revision: 0 });
    expect((await acknowledge(lapseId).expect(409)).body.code).toBe('LAPSE.ALREADY_ACKNOWLEDGED');
    const { body } = await eventually(
      server,
      '/v1/lapses?acknowledged=true',
      managerAL,
      (b) => b.items?.length === 1,
    );
    expect(body.items[0].acknowledged).toMatchObject({ by: 'mgr-al', note: 'Retraining booked' });
  });

  it('exports the inbox as CSV', async () => {
    const csv = await list('').set('Accept', 'text/csv').expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toContain('occurredAt (UTC),acknowledgedAt (UTC),acknowledgedBy');
    expect(lines[1]).toContain(lapseId);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { PG_POOL } from '@cadre/command-handling/nest';
import { staffWorld, type StaffWorld } from '../api/support/staff-world.js';
import { eventually } from '../read-side/team-audit.fixtures.js';
import { startPlatformTestApp, type PlatformTestApp } from './support/platform-test-app.js';

/** Polls `/health/ready` until `ready` holds of its body. */
async function readiness(
  subject: PlatformTestApp,
  ready: (body: Record<string, unknown>) => boolean,
  timeoutMs = 25_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request(subject.app.getHttpServer()).get('/health/ready').expect(200);
    if (ready(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`never so: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A projection whose runner fails (it retries, with back-off) leaves the api ready — it can serve —
 * but `/health/ready` says so: `status: "degraded"`, naming the projection, its position and its
 * error, and the gauge `cadre_projection_failing` is 1 for it.
 */
describe('readiness while a projection fails', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let pool: pg.Pool;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL']);
    pool = subject.app.get<pg.Pool>(PG_POOL);
  });
  afterAll(async () => {
    await pool?.query('DROP TRIGGER IF EXISTS refuse_teams ON rm_team_list.teams').catch(() => undefined);
    await subject?.close();
  });

  /** `cadre_projection_failing{projection="<name>"}` as `/metrics` shows it. */
  const failingGauge = async (name: string): Promise<number | undefined> => {
    const metrics = await request(subject.app.getHttpServer()).get('/metrics').expect(200);
    const line = metrics.text
      .split('\n')
      .find((l) => l.startsWith(`cadre_projection_failing{projection="${name}"}`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('says "degraded" naming the failing projection, and "ok" again once it recovers', async () => {
    const ok = await readiness(subject, (body) => body.status === 'ok');
    expect(ok.degraded).toBeUndefined();

    const manager = await world.bearer(['manager'], ['AL'], 'mgr-al');
    const formTeam = (name: string) =>
      request(world.server)
        .post('/v1/teams')
        .set('Authorization', manager)
        .send({
          name,
          jurisdiction: 'AL',
          institutions: ['Prison Tirana 313'],
          kind: 'joint',
          caseRef: 'CASE-1',
          requiredDisciplines: [{ role: 'psychologist', minCount: 1 }],
        })
        .expect(201);
    // A first team is listed: the team list stands at a position from then on.
    const first = await formTeam('MDT Durres');
    await eventually(world.server, '/v1/teams', manager, (body) =>
      (body.items ?? []).some((t) => (t as { teamId: string }).teamId === first.body.id),
    );

    // The team list's table refuses every row from now on.
    await pool.query(`
      CREATE OR REPLACE FUNCTION rm_team_list.refuse_teams() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'the test refuses this row'; END $$;
      CREATE TRIGGER refuse_teams BEFORE INSERT ON rm_team_list.teams
        FOR EACH ROW EXECUTE FUNCTION rm_team_list.refuse_teams();`);
    const team = await formTeam('MDT Tirana');

    const degraded = await readiness(subject, (body) => body.status === 'degraded');
    expect(degraded.degraded).toEqual({
      projections: [
        {
          name: 'team-list',
          position: expect.stringMatching(/^\d{20}-\d{20}$/),
          error: expect.stringContaining('the test refuses this row'),
        },
      ],
    });
    expect(await failingGauge('team-list')).toBe(1);
    expect(await failingGauge('staff-directory')).toBe(0);

    await pool.query('DROP TRIGGER refuse_teams ON rm_team_list.teams');
    await readiness(subject, (body) => body.status === 'ok');
    expect(await failingGauge('team-list')).toBe(0);
    await eventually(world.server, '/v1/teams', manager, (body) =>
      (body.items ?? []).some((t) => (t as { teamId: string }).teamId === team.body.id),
    );
  }, 60_000);
});

import type { Server } from 'node:http';
import type pg from 'pg';
import type { EventStore } from '@cadre/event-store';
import { PG_POOL } from '@cadre/command-handling/nest';
import type { PlatformTestApp } from '../../platform/support/platform-test-app.js';
import { CadreFixtures } from './cadre-fixtures.js';

export interface StaffWorld {
  readonly server: Server;
  readonly store: EventStore;
  readonly fixtures: CadreFixtures;
  /**
   * How many events the store holds, counted in its table: unlike `headPosition()`, which shows
   * only what lies below the transaction horizon (an open transaction elsewhere holds it back).
   */
  /** Events recorded by requests (not by the worker's processes). */
  eventCount(): Promise<number>;
  /** `Bearer …` for the given roles and jurisdictions. */
  bearer(roles: string[], jurisdictions: string[], sub?: string): Promise<string>;
}

/** The sample framework (cadre-fixtures), adopted by `adopters`, and tokens on demand. */
export async function staffWorld(subject: PlatformTestApp, adopters: string[]): Promise<StaffWorld> {
  const fixtures = CadreFixtures.of(subject);
  await fixtures.sampleFramework(adopters);
  return {
    server: subject.app.getHttpServer() as Server,
    store: fixtures.store,
    fixtures,
    eventCount: async () => {
      const pool = subject.app.get<pg.Pool>(PG_POOL);
      // Events the worker's processes record on their own (expiry notices, awards) are not the request's.
      return (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM cadre_es.events WHERE coalesce(metadata->'actor'->>'sub', '') NOT LIKE 'process:%'`,
        )
      ).rows[0].n;
    },
    bearer: async (roles, jurisdictions, sub = 'someone') =>
      `Bearer ${await subject.token({ sub, roles: roles as never, jurisdictions })}`,
  };
}

/** A valid registration body; override what the test is about. */
export const registration = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  agency: 'probation',
  jurisdiction: 'AL',
  institution: 'Tirana probation office',
  role: 'probation-officer',
  name: 'Ana Hoxha',
  email: 'ana.hoxha@example.org',
  employeeRef: 'AL-PRB-0001',
  ...overrides,
});

import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { canonicalParts } from '../../libs/event-store/src/hash-chain.js';
import type { BenchHttp } from './http.js';

/** The four commands of the mix, in the order one connection issues them for each new person. */
export const MIX = ['register-staff', 'enrol', 'record-attendance', 'assign-member'] as const;

export interface RoundResult {
  /** Commands answered 2xx per second. */
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface ApiWorld {
  readonly http: BenchHttp;
  readonly manager: string;
  readonly coordinator: string;
  readonly jurisdiction: string;
  /** One session and one team per connection (no two connections on one stream). */
  readonly sessions: readonly string[];
  readonly teams: readonly string[];
}

let serial = 0;
const tag = randomUUID().slice(0, 8);

/** One person through the API: registered, enrolled, attended, assigned. Returns latencies of the 2xx. */
export async function apiIteration(world: ApiWorld, worker: number, samples: number[]): Promise<number> {
  const n = (serial += 1);
  const { http, manager, coordinator } = world;
  const registered = await http.request('POST', '/v1/staff', manager, {
    agency: 'probation',
    jurisdiction: world.jurisdiction,
    institution: 'Bench probation office',
    role: 'probation-officer',
    name: `Bench Person ${n}`,
    email: `bench.${tag}.${n}@example.org`,
    employeeRef: `BENCH-${tag}-${n}`,
  });
  if (registered.status !== 201) throw new CommandFailed('register-staff', registered);
  samples.push(registered.ms);
  const staffId = String(registered.body.id);
  const session = `/v1/sessions/${world.sessions[worker]}`;
  const steps: [string, string, string, object][] = [
    ['enrol', `${session}/enrolments`, coordinator, { staffId }],
    ['record-attendance', `${session}/attendance`, coordinator, { staffId, attendance: 'present', hours: 8 }],
    [
      'assign-member',
      `/v1/teams/${world.teams[worker]}/members`,
      manager,
      { staffId, teamRole: 'probation-officer' },
    ],
  ];
  let done = 1;
  for (const [name, path, token, body] of steps) {
    const reply = await http.request('POST', path, token, body);
    if (reply.status !== 200) throw new CommandFailed(name, reply);
    samples.push(reply.ms);
    done += 1;
  }
  return done;
}

export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly reply: { status: number; body: unknown },
  ) {
    super(`${command} → ${reply.status}: ${JSON.stringify(reply.body).slice(0, 300)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The baseline: the same statements the api issues for these commands (observed by tracing its pg
// client), straight through `pg` — no HTTP, Nest, domain, sealing or validation.

const COLUMNS = `tx_id::text AS tx, seq::text AS seq, stream_id, revision::text AS revision, event_id::text AS event_id,
  type, data, metadata, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  encode(hash, 'hex') AS hash`;
const READ_STREAM = `SELECT ${COLUMNS} FROM cadre_es.events e WHERE stream_id = $1
      ORDER BY e.revision ASC `;
const APPEND = `SELECT next_revision::text AS next_revision, tx, last_seq::text AS last_seq, noop
      FROM cadre_es.append($1, $2, $3, $4::uuid[], $5, $6, $7, $8, $9)`;
const KIND = { exact: 0, noStream: 2 } as const;

export interface EventTemplate {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export interface BaselineWorld {
  readonly pool: pg.Pool;
  readonly jurisdiction: string;
  readonly framework: string;
  /** Events the api wrote, reused (with new ids) so rows have the same size and shape. */
  readonly templates: Record<
    | 'EmployeeRefReserved'
    | 'StaffMemberRegistered'
    | 'SessionScheduled'
    | 'ParticipantEnrolled'
    | 'AttendanceRecorded'
    | 'TeamFormed'
    | 'MemberAssigned',
    EventTemplate
  >;
  readonly dataKey: { kekId: string; wrapped: string };
  /** Per connection: its own session and team stream, with their current revision. */
  readonly streams: { session: string; sessionRevision: number; team: string; teamRevision: number }[];
}

export async function append(
  pool: pg.Pool,
  stream: string,
  kind: number,
  expected: number | null,
  template: EventTemplate,
): Promise<number> {
  const eventId = randomUUID();
  const parts = canonicalParts(
    { eventId, ...template } as unknown as Parameters<typeof canonicalParts>[0],
    stream,
  );
  const { rows } = await pool.query<{ next_revision: string }>(APPEND, [
    stream,
    kind,
    expected,
    [eventId],
    [template.type],
    [parts.dataJson],
    [parts.metadataJson],
    [parts.prefix],
    [parts.suffix],
  ]);
  return Number(rows[0].next_revision);
}

const read = (pool: pg.Pool, stream: string) => pool.query(READ_STREAM, [stream]);

/** The same work as {@link apiIteration}, statement for statement. */
export async function baselineIteration(
  world: BaselineWorld,
  worker: number,
  samples: number[],
): Promise<number> {
  const { pool, templates: t } = world;
  const own = world.streams[worker];
  const jurisdiction = `jurisdiction-${world.jurisdiction}`;
  const framework = `framework-${world.framework}`;
  const staffId = randomUUID();
  const staff = `staff-${staffId}`;
  const time = async (work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  };
  // register-staff: the employeeRef reservation, the data key, the staff stream.
  await time(async () => {
    const reservation = `employee-ref-${world.jurisdiction}-${createHash('sha1').update(staffId).digest('hex')}`;
    await read(pool, jurisdiction);
    await read(pool, framework);
    await read(pool, reservation);
    await append(pool, reservation, KIND.noStream, null, t.EmployeeRefReserved);
    await pool.query('SELECT kek_id, wrapped FROM cadre_keys.data_keys WHERE subject = $1', [staffId]);
    await pool.query(
      'INSERT INTO cadre_keys.data_keys (subject, kek_id, wrapped) VALUES ($1, $2, $3) ON CONFLICT (subject) DO NOTHING',
      [staffId, world.dataKey.kekId, world.dataKey.wrapped],
    );
    await pool.query('SELECT kek_id, wrapped FROM cadre_keys.data_keys WHERE subject = $1', [staffId]);
    await read(pool, staff);
    await read(pool, jurisdiction);
    await read(pool, framework);
    await append(pool, staff, KIND.noStream, null, t.StaffMemberRegistered);
  });
  // enrol
  await time(async () => {
    await read(pool, own.session);
    await read(pool, staff);
    own.sessionRevision = await append(
      pool,
      own.session,
      KIND.exact,
      own.sessionRevision,
      t.ParticipantEnrolled,
    );
  });
  // record-attendance
  await time(async () => {
    await read(pool, own.session);
    own.sessionRevision = await append(
      pool,
      own.session,
      KIND.exact,
      own.sessionRevision,
      t.AttendanceRecorded,
    );
  });
  // assign-member
  await time(async () => {
    await read(pool, own.team);
    await read(pool, staff);
    await read(pool, jurisdiction);
    await read(pool, framework);
    own.teamRevision = await append(pool, own.team, KIND.exact, own.teamRevision, t.MemberAssigned);
  });
  return 4;
}

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync, readdirSync } from 'node:fs';
import request from 'supertest';
import {
  CERTIFICATION_EVENT_TYPES,
  CERTIFICATION_FILTER,
  CertificationEventMapper,
  toStructuredJson,
  type CertificationCloudEventJson,
  type CertificationEventMapperOptions,
} from '@cadre/integration';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { CertificationFeed } from '../../apps/api/src/feeds/certification-feed.js';
import { ProcessManagerWorker } from '../../apps/worker/src/processes/process-manager.worker.js';
import { CadreFixtures } from '../api/support/cadre-fixtures.js';
import { registration } from '../api/support/staff-world.js';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';

const SCHEMAS_DIR = new URL('../../libs/integration/schemas/', import.meta.url);
const FEED = '/v1/feeds/certifications';

describe('the HR contract and pull feed: CloudEvents by cursor, long-poll and SSE', () => {
  let subject: PlatformTestApp;
  let server: Server;
  let fixtures: CadreFixtures;
  let admin: string;
  let hrAL: string;
  let all: CertificationCloudEventJson[];
  let erasedStaffId: string;
  let keptStaffId: string;
  let rsStaffId: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp({ env: { CADRE_EVENT_SOURCE: 'urn:cadre:test' } });
    server = subject.app.getHttpServer();
    fixtures = CadreFixtures.of(subject);
    await fixtures.sampleFramework(['AL', 'RS']);
    admin = `Bearer ${await subject.token({ sub: 'admin', roles: ['admin'], jurisdictions: ['*'] })}`;
    hrAL = `Bearer ${await subject.token({ sub: 'hr-al', roles: ['hr-system'], jurisdictions: ['AL'] })}`;

    const register = async (body: Record<string, unknown>) =>
      (await post('/v1/staff', registration(body)).expect(201)).body.id as string;
    keptStaffId = await register({ employeeRef: 'AL-HR-0001', name: 'Ana Hoxha' });
    erasedStaffId = await register({
      employeeRef: 'AL-HR-0002',
      name: 'Blerim Dema',
      email: 'b.dema@example.org',
    });
    rsStaffId = await register({
      jurisdiction: 'RS',
      employeeRef: 'RS-HR-0001',
      institution: 'Belgrade office',
    });

    // Old enough for window, warning and expiry to be due now; renewed once.
    const old = await award(keptStaffId, 'dynamic-security', 'awareness', '2023-01-01T00:00:00.000Z');
    await award(keptStaffId, 'dynamic-security', 'awareness', '2023-06-01T00:00:00.000Z');
    const current = await award(keptStaffId, 'radicalisation-awareness', 'specialised', recent());
    const certs = `/v1/staff/${keptStaffId}/certifications/${current}`;
    await post(`${certs}/suspend`, { reason: 'Under review' }).expect(200);
    await post(`${certs}/reinstate`, {}).expect(200);
    await post(`${certs}/revoke`, { reason: 'Obtained by fraud' }).expect(200);
    await award(keptStaffId, 'vep-risk-assessment', 'awareness', recent());
    const voidable = (await fixtures.store.readStream(`staff-${keptStaffId}`)).at(-1)!;
    await post(`/v1/records/${voidable.eventId}/void`, { reason: 'Recorded for the wrong person' }).expect(
      200,
    );
    await award(erasedStaffId, 'dynamic-security', 'specialised', recent());
    await request(server)
      .delete(`/v1/staff/${erasedStaffId}/personal-data`)
      .set('Authorization', admin)
      .expect(200);
    await award(rsStaffId, 'dynamic-security', 'awareness', recent());
    expect(old).toBeTruthy();

    // The worker's schedule sends the due notices (its tick, on demand rather than every 5 s).
    const worker = subject.app.get(ProcessManagerWorker);
    for (let i = 0; i < 100; i += 1) {
      await worker.tick();
      all = JSON.parse((await feed('?limit=1000').expect(200)).text);
      if (all.filter((e) => e.type === 'org.cadre.certification.expired.v1').length >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => subject?.close());

  const post = (path: string, body: object) =>
    request(server).post(path).set('Authorization', admin).send(body);
  const feed = (query = '', token = hrAL) =>
    request(server).get(`${FEED}${query}`).set('Authorization', token);
  const recent = () => new Date(Date.now() - 86_400_000).toISOString();
  let reference = 0;
  const award = async (staffId: string, competency: string, level: string, validFrom: string) =>
    (
      await post(`/v1/staff/${staffId}/certifications`, {
        competency,
        level,
        validFrom,
        evidence: { issuer: 'Academy', reference: `REF-${(reference += 1)}` },
      }).expect(200)
    ).body.id as string;

  it('emits every public type, each valid against its committed, frozen JSON Schema', async () => {
    const files = readdirSync(SCHEMAS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(CERTIFICATION_EVENT_TYPES.map((t) => `${t}.json`).sort());
    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const validators = Object.fromEntries(
      files.map((f) => [
        f.replace(/\.json$/, ''),
        ajv.compile(JSON.parse(readFileSync(new URL(f, SCHEMAS_DIR), 'utf8'))),
      ]),
    );
    expect(new Set(all.map((e) => e.type))).toEqual(new Set(CERTIFICATION_EVENT_TYPES));
    for (const event of all) {
      const validate = validators[event.type];
      expect({ type: event.type, errors: validate(event) ? null : validate.errors }).toEqual({
        type: event.type,
        errors: null,
      });
    }
    const served = await request(server).get('/v1/integration/schemas').expect(200);
    expect(Object.keys(served.body).sort()).toEqual([...CERTIFICATION_EVENT_TYPES].sort());
    expect(served.body['org.cadre.certification.awarded.v1']).toEqual(
      JSON.parse(readFileSync(new URL('org.cadre.certification.awarded.v1.json', SCHEMAS_DIR), 'utf8')),
    );
  });

  it('carries the envelope of the contract: id, source, subject, time, sequence; no names, no e-mails', async () => {
    const stream = await fixtures.store.readStream(`staff-${keptStaffId}`);
    const first = all.find((e) => e.subject === keptStaffId)!;
    const recorded = stream.find((e) => e.eventId === first.id)!;
    expect(first).toMatchObject({
      specversion: '1.0',
      type: 'org.cadre.certification.awarded.v1',
      source: 'urn:cadre:test',
      time: recorded.metadata.occurredAt,
      sequence: recorded.position,
      data: {
        employeeRef: 'AL-HR-0001',
        competency: 'dynamic-security',
        level: 'awareness',
        jurisdiction: 'AL',
      },
    });
    expect(all.filter((e) => e.subject === erasedStaffId).map((e) => e.data.employeeRef)).toEqual([null]);
    const text = JSON.stringify(all);
    for (const personal of ['Ana Hoxha', 'Blerim Dema', 'example.org']) expect(text).not.toContain(personal);
    // Only the caller's jurisdictions.
    expect(all.some((e) => e.subject === rsStaffId)).toBe(false);
    expect(all.every((e) => e.data.jurisdiction === 'AL')).toBe(true);
    const voided = all.find((e) => e.type === 'org.cadre.certification.voided.v1')!;
    expect(voided.data).toMatchObject({
      voidedType: 'org.cadre.certification.awarded.v1',
      competency: 'vep-risk-assessment',
    });
  });

  it('pages by cursor (Cadre-Next-Cursor, Link rel=next) without gap or duplicate', async () => {
    const first = await feed('?limit=3').expect(200);
    expect(first.headers['content-type']).toMatch(/^application\/cloudevents-batch\+json/);
    const paged: CertificationCloudEventJson[] = JSON.parse(first.text);
    let cursor = first.headers['cadre-next-cursor'];
    expect(first.headers.link).toBe(`<${FEED}?after=${encodeURIComponent(cursor)}&limit=3>; rel="next"`);
    expect(cursor).toBe(paged.at(-1)!.sequence);
    for (let i = 0; i < 100; i += 1) {
      const page = await feed(`?after=${cursor}&limit=3`).expect(200);
      const events: CertificationCloudEventJson[] = JSON.parse(page.text);
      if (events.length === 0) break;
      paged.push(...events);
      cursor = page.headers['cadre-next-cursor'];
    }
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    // The same events, word for word, whether a page's member states were folded afresh (these
    // pages are older than the states the feed keeps) or in one page from the start.
    expect(paged).toEqual(all);
  });

  it('maps page after page from the states it kept as it maps the whole log at once', async () => {
    const feedMapper = subject.app.get(CertificationFeed).mapper;
    // A mapper of its own, with the feed's options (source, unsealing), keeping no state yet.
    const mapper = new CertificationEventMapper(
      fixtures.store,
      Reflect.get(feedMapper, 'options') as CertificationEventMapperOptions,
    );
    const log = await fixtures.store.readAll({ limit: 10_000 });
    const forward: CertificationCloudEventJson[] = [];
    for (let i = 0; i < log.length; i += 7) {
      forward.push(...(await mapper.map(log.slice(i, i + 7))).map((e) => toStructuredJson(e.cloudEvent)));
    }
    const whole = (await feedMapper.map(log)).map((e) => toStructuredJson(e.cloudEvent));
    expect(forward.length).toBeGreaterThan(5);
    expect(forward).toEqual(whole);
  });

  it("folds a member's state forward from the page's own events, reading the stream only across a gap", async () => {
    const feedMapper = subject.app.get(CertificationFeed).mapper;
    const store = fixtures.store;
    let reads = 0;
    const counting = new Proxy(store, {
      get: (target, property) =>
        property === 'readStream'
          ? (...args: Parameters<typeof store.readStream>) => {
              reads += 1;
              return target.readStream(...args);
            }
          : Reflect.get(target, property),
    });
    const mapper = new CertificationEventMapper(
      counting,
      Reflect.get(feedMapper, 'options') as CertificationEventMapperOptions,
    );
    // The feed's pages: certification events only, so registrations and transfers are gaps.
    const log = await store.readAll({ limit: 10_000, filter: CERTIFICATION_FILTER });
    const paged: CertificationCloudEventJson[] = [];
    let pairs = 0;
    for (let i = 0; i < log.length; i += 2) {
      const page = log.slice(i, i + 2);
      pairs += new Set(page.map((e) => e.stream)).size;
      paged.push(...(await mapper.map(page)).map((e) => toStructuredJson(e.cloudEvent)));
    }
    expect(paged).toEqual((await feedMapper.map(log)).map((e) => toStructuredJson(e.cloudEvent)));
    // Each member's first page reads their stream (the registration is not in the feed); pages
    // that continue a kept state read nothing.
    const members = new Set(log.map((e) => e.stream)).size;
    expect(reads).toBeGreaterThanOrEqual(members);
    expect(reads).toBeLessThan(pairs);
  });

  it('answers 400 to a cursor that is not a position, and an empty page with the head beyond it', async () => {
    const bad = await feed('?after=not-a-cursor').expect(400);
    expect(bad.body.code).toBe('FEED.INVALID_CURSOR');
    await feed('?limit=0').expect(400);
    const head = (await fixtures.store.headPosition())!;
    const beyond = `${BigInt(head.split('-')[0]) + 1000n}-0`;
    const page = await feed(`?after=${beyond}`).expect(200);
    expect(JSON.parse(page.text)).toEqual([]);
    expect(fixtures.store.comparePositions(page.headers['cadre-next-cursor'], beyond)).toBeLessThan(0);
  });

  it('long-polls with wait: an empty page is answered as soon as an event arrives', async () => {
    const head = (await feed('?limit=1000').expect(200)).headers['cadre-next-cursor'];
    const started = Date.now();
    const waiting = feed(`?after=${head}&wait=20`);
    const pending = new Promise<request.Response>((resolve, reject) => waiting.then(resolve, reject));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await award(keptStaffId, 'multi-agency-working', 'awareness', recent());
    const answered = await pending;
    expect(answered.status).toBe(200);
    const events: CertificationCloudEventJson[] = JSON.parse(answered.text);
    expect(events.map((e) => e.data.competency)).toEqual(['multi-agency-working']);
    expect(Date.now() - started).toBeLessThan(10_000);
    all.push(...events);
  });

  it('answers many waiting long-polls from one follower of the log, and only with events their scope may see', async () => {
    const head = (await feed('?limit=1000').expect(200)).headers['cadre-next-cursor'];
    const store = subject.app.get<EventStore>(EVENT_STORE);
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    try {
      const waiting = Array.from({ length: 10 }, () => {
        const poll = feed(`?after=${head}&wait=20`);
        return new Promise<request.Response>((resolve, reject) => poll.then(resolve, reject));
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // An RS event: the AL callers wait on; then one of theirs answers them all.
      await award(rsStaffId, 'multi-agency-working', 'awareness', recent());
      await new Promise((resolve) => setTimeout(resolve, 300));
      await award(keptStaffId, 'vep-risk-assessment', 'specialised', recent());
      const answers = await Promise.all(waiting);
      for (const answered of answers) {
        const events: CertificationCloudEventJson[] = JSON.parse(answered.text);
        expect(events.map((e) => [e.subject, e.data.competency])).toEqual([
          [keptStaffId, 'vep-risk-assessment'],
        ]);
      }
      all.push(...(JSON.parse(answers[0]!.text) as CertificationCloudEventJson[]));
      // No subscription per long-poll: the process's one tail (started by an earlier poll, or now).
      expect(subscribe.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      subscribe.mockRestore();
    }
  });

  it('streams server-sent events whose id is the cursor; a consumer restarted mid-stream resumes exactly', async () => {
    await subject.app.listen(0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    const read = async (count: number, lastEventId?: string) => {
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${port}${FEED}/stream`, {
        headers: { authorization: hrAL, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: controller.signal,
      });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const received: { id: string; event: CertificationCloudEventJson }[] = [];
      const decoder = new TextDecoder();
      let buffer = '';
      const reader = response.body!.getReader();
      while (received.length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (id && data) received.push({ id, event: JSON.parse(data) });
        }
      }
      controller.abort();
      return received.slice(0, count);
    };
    const half = Math.floor(all.length / 2);
    const before = await read(half);
    const after = await read(all.length - half, before.at(-1)!.id);
    const streamed = [...before, ...after];
    expect(streamed.map((s) => s.event.id)).toEqual(all.map((e) => e.id));
    expect(streamed.every((s) => s.id === s.event.sequence)).toBe(true);
    // A Last-Event-ID kept from before (the unpadded spelling) resumes at the same place.
    const unpadded = before.at(-1)!.id.split('-').map(BigInt).join('-');
    expect(unpadded).not.toBe(before.at(-1)!.id);
    expect((await read(2, unpadded)).map((s) => s.id)).toEqual(after.slice(0, 2).map((s) => s.id));
  });

  it('gives 10,000 events sequences that sort as strings in log order; the cursors are the same strings', async () => {
    const from = await fixtures.head();
    // 40 members, each awarded once through the commands, then 250 more awards each appended
    // through the store port in batches of 125, four members at a time: commits interleave, and
    // the positions' parts cross decimal widths on the way.
    const members = await Promise.all(Array.from({ length: 40 }, () => fixtures.staff()));
    for (const staffId of members) await fixtures.certify(staffId, 'dynamic-security', 'awareness');
    const appended = new Set<string>();
    for (let i = 0; i < members.length; i += 4) {
      await Promise.all(
        members.slice(i, i + 4).map(async (staffId) => {
          const template = (await fixtures.store.readStream(`staff-${staffId}`)).at(-1)!;
          for (let batch = 0; batch < 2; batch += 1) {
            const events = Array.from({ length: 125 }, () => ({
              eventId: randomUUID(),
              type: template.type,
              data: { ...(template.data as object), certificationId: randomUUID() },
              metadata: template.metadata,
            }));
            await fixtures.store.append(`staff-${staffId}`, events);
            for (const e of events) appended.add(e.eventId);
          }
        }),
      );
    }
    const events: CertificationCloudEventJson[] = [];
    const cursors: string[] = [];
    for (let cursor = from!; ;) {
      const page = await feed(`?after=${encodeURIComponent(cursor)}&limit=1000`).expect(200);
      const read: CertificationCloudEventJson[] = JSON.parse(page.text);
      if (read.length === 0) break;
      events.push(...read);
      cursor = page.headers['cadre-next-cursor'];
      expect(cursor).toBe(read.at(-1)!.sequence);
      cursors.push(cursor);
    }
    expect(events.filter((e) => appended.has(e.id))).toHaveLength(10_000);
    const sequences = events.map((e) => e.sequence);
    expect(new Set(sequences.map((q) => q.length))).toEqual(new Set([41]));
    // In log order (the feed's), and the same order sorted as plain strings.
    expect([...sequences].reverse().sort()).toEqual(sequences);
    expect(new Set(sequences).size).toBe(sequences.length);
    expect([...cursors].reverse().sort()).toEqual(cursors);
    for (let i = 1; i < sequences.length; i += 1) {
      expect(fixtures.store.comparePositions(sequences[i - 1], sequences[i])).toBeLessThan(0);
    }
  }, 180_000);

  it('resumes from a cursor in the spelling of earlier versions (unpadded), answering in the one spelling of today', async () => {
    const page = JSON.parse((await feed('?limit=1000').expect(200)).text) as CertificationCloudEventJson[];
    const [resumed, ...expected] = page.slice(page.length - 5);
    const old = resumed.sequence.split('-').map(BigInt).join('-');
    expect(old).toMatch(/^[1-9]\d*-[1-9]\d*$/);
    expect(old).not.toBe(resumed.sequence);
    const answered = await feed(`?after=${old}&limit=4`).expect(200);
    expect((JSON.parse(answered.text) as CertificationCloudEventJson[]).map((e) => e.id)).toEqual(
      expected.map((e) => e.id),
    );
    expect(answered.headers['cadre-next-cursor']).toBe(expected.at(-1)!.sequence);
  });

  it('refuses an hr-system token on management and audit routes (403), and other roles on the feed', async () => {
    for (const [method, path] of [
      ['get', `/v1/staff/${keptStaffId}`],
      ['get', `/v1/audit/streams/staff-${keptStaffId}/events`],
      ['get', '/v1/lapses'],
      ['post', '/v1/teams'],
      ['post', `/v1/staff/${keptStaffId}/certifications`],
    ] as const) {
      const response = await request(server)[method](path).set('Authorization', hrAL).send({});
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
    }
    await feed('', admin).expect(403);
  });
});

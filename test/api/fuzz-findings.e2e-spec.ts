import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import type { Server, AddressInfo } from 'node:net';
import request from 'supertest';
import { startPlatformTestApp, type PlatformTestApp } from '../platform/support/platform-test-app.js';
import { registration, staffWorld, type StaffWorld } from './support/staff-world.js';

/**
 * Issue 12 item 2: requests that a schema-driven fuzzer found answering 500, or answering a 4xx
 * that is not a problem document. Each must be a 4xx application/problem+json with a stable code,
 * writing nothing.
 */
const SOME_ID = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

/** `{"name":{"name":…}}` nested `depth` deep, as text (JSON.stringify would recurse as deep). */
const nestedObject = (depth: number): string => '{"name":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedArray = (depth: number): string => `{"institutions":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('requests the fuzzer found answering 500 or plain JSON', () => {
  let subject: PlatformTestApp;
  let world: StaffWorld;
  let admin: string;

  beforeAll(async () => {
    subject = await startPlatformTestApp();
    world = await staffWorld(subject, ['AL']);
    admin = await world.bearer(['admin', 'manager', 'training-coordinator'], ['*'], 'admin');
  });
  afterAll(async () => subject?.close());

  const server = () => world.server;
  const expectProblem = (response: request.Response, status: number, code: string | RegExp): void => {
    expect([response.status, response.body.code]).toEqual([status, expect.stringMatching(code)]);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toEqual(expect.any(String));
  };

  it('refuses JSON nested 2,000 deep with 400 REQUEST.BODY_TOO_DEEP, objects or arrays', async () => {
    const head = await world.fixtures.head();
    const bodies = [
      ['/v1/teams', nestedObject(2_000)],
      ['/v1/teams', nestedArray(2_000)],
      ['/v1/staff', nestedObject(10_000)],
      ['/v1/frameworks/v1/competencies', `{"levels":${nestedObject(5_000)}}`],
      [`/v1/teams/${SOME_ID}/members`, `{"override":${nestedObject(3_000)}}`],
    ] as const;
    const answers: [string, number, string, string][] = [];
    for (const [path, body] of bodies) {
      const response = await request(server())
        .post(path)
        .set('Authorization', admin)
        .set('Content-Type', 'application/json')
        .send(body);
      answers.push([path, response.status, response.body.code, response.headers['content-type']]);
    }
    expect(answers).toEqual(
      bodies.map(([path]) => [
        path,
        400,
        'REQUEST.BODY_TOO_DEEP',
        expect.stringMatching(/^application\/problem\+json/),
      ]),
    );
    expect(await world.fixtures.head()).toBe(head);
  });

  it('refuses a competency without levels with 400 REQUEST.VALIDATION_FAILED naming levels', async () => {
    await request(server())
      .post('/v1/frameworks')
      .set('Authorization', admin)
      .send({ version: 'v7', title: 'Draft' })
      .expect(201);
    const response = await request(server())
      .post('/v1/frameworks/v7/competencies')
      .set('Authorization', admin)
      .send({ competency: 'dynamic-security', title: 'Dynamic security' });
    expectProblem(response, 400, 'REQUEST.VALIDATION_FAILED');
    expect(JSON.stringify(response.body.violations)).toContain('levels');
  });

  it('refuses a JSON body that is null, a number, a string or an array with 400 REQUEST.BODY_NOT_OBJECT', async () => {
    for (const [path, body] of [
      ['/v1/webhook-subscriptions', 'null'],
      ['/v1/webhook-subscriptions', '42'],
      ['/v1/teams', '"text"'],
      ['/v1/staff', '[]'],
      [`/v1/teams/${SOME_ID}/dissolve`, 'true'],
    ]) {
      const response = await request(server())
        .post(path)
        .set('Authorization', admin)
        .set('Content-Type', 'application/json')
        .send(body);
      expectProblem(response, 400, 'REQUEST.BODY_NOT_OBJECT');
    }
  });

  it('refuses a NUL or a control character in a path parameter with 400 naming the parameter', async () => {
    for (const path of ['/v1/staff/a%00b/departure', '/v1/staff/a%1Bb/departure']) {
      const response = await request(server()).post(path).set('Authorization', admin).send({});
      expectProblem(response, 400, 'REQUEST.TEXT_NOT_PLAIN');
      expect([response.body.parameter, response.body.in]).toEqual(['id', 'path']);
    }
    // A percent-escape that is not UTF-8 (a lone surrogate) does not decode: the router refuses it.
    const malformed = await request(server()).get('/v1/teams/%ED%A0%80').set('Authorization', admin);
    expectProblem(malformed, 400, 'REQUEST.MALFORMED_URL');
  });

  it('refuses a NUL in a query parameter with 400 naming the parameter', async () => {
    for (const [path, parameter] of [
      ['/v1/teams?jurisdiction=%00', 'jurisdiction'],
      ['/v1/audit/access-log?actor=%00', 'actor'],
      ['/v1/staff?q=a%00b', 'q'],
    ]) {
      const response = await request(server()).get(path).set('Authorization', admin);
      expectProblem(response, 400, 'REQUEST.TEXT_NOT_PLAIN');
      expect(response.body.parameter).toBe(parameter);
    }
  });

  it('refuses a lone surrogate in an email with 400 COMMAND.TEXT_NOT_PLAIN', async () => {
    const head = await world.fixtures.head();
    const response = await request(server())
      .post('/v1/staff')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(registration({ email: 'ana\ud800@example.org' })));
    expectProblem(response, 400, 'COMMAND.TEXT_NOT_PLAIN');
    expect(response.body.field).toBe('email');
    expect(await world.fixtures.head()).toBe(head);
  });

  it('answers a path parameter over the limit with a 414 problem', async () => {
    const response = await request(server())
      .get(`/v1/staff/${'a'.repeat(500)}`)
      .set('Authorization', admin);
    expectProblem(response, 414, 'REQUEST.URI_TOO_LONG');
  });

  it('answers headers over 16 kB with a 431 problem', async () => {
    const listening = server().listening ? server() : await listen(server());
    const { port } = listening.address() as AddressInfo;
    const raw = await rawRequest(
      port,
      `GET /v1/staff/${SOME_ID} HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(body)).toMatchObject({ status: 431, code: 'REQUEST.HEADERS_TOO_LARGE' });
  });
});

const listen = (server: Server): Promise<Server> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));

/** Sends `text` as it is and reads the answer until the server closes the connection. */
const rawRequest = (port: number, text: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error) => (answer ? resolve(answer) : reject(error)));
  });

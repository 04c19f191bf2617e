import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { createLogger } from './create-logger.js';
import { runInRequestContext } from './request-context.js';

describe('createLogger', () => {
  it('writes JSON lines with the correlation id of the request being served', () => {
    const { logger, lines } = capture();
    runInRequestContext({ correlationId: 'corr-9' }, () => logger.info('inside'));
    logger.info('outside');
    expect(lines()[0]).toMatchObject({
      level: 'info',
      msg: 'inside',
      correlationId: 'corr-9',
      service: 'cadre',
    });
    expect(lines()[1].correlationId).toBeUndefined();
  });

  it('redacts authorization headers, tokens and secrets', () => {
    const { logger, lines } = capture();
    logger.info({
      req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1' } },
      token: 'abc.def.ghi',
      body: { password: 'hunter2', accessToken: 'xyz' },
    });
    const text = JSON.stringify(lines());
    expect(text).not.toMatch(/abc\.def\.ghi|hunter2|xyz|sid=1/);
    expect(lines()[0].req).toEqual({});
  });

  it('logs a failed statement without its parameters or the values PostgreSQL quotes', () => {
    const { logger, lines } = capture();
    const driver = Object.assign(
      new pg.DatabaseError('invalid input syntax for type uuid: "%zuzana kowalczyk%"', 0, 'error'),
      {
        severity: 'ERROR',
        code: '22P02',
        detail: 'Key (employee_ref)=(ZK-4711) already exists.',
        where: "unnamed portal parameter $1 = '...'",
        table: 'staff',
        routine: 'string_to_uuid',
      },
    );
    const failed = new QueryFailedError(
      'SELECT * FROM staff WHERE name LIKE $1',
      ['%zuzana kowalczyk%', 'ZK-4711'],
      driver,
    );
    logger.error({ err: failed }, 'request failed');
    logger.error({ err: new Error('wrapped', { cause: failed }) }, 'wrapped');
    const text = JSON.stringify(lines());
    expect(text).not.toMatch(/zuzana|ZK-4711|parameters|LIKE/i);
    expect(lines()[0].err).toMatchObject({
      type: 'QueryFailedError',
      message: 'invalid input syntax for type uuid: "…"',
      code: '22P02',
      table: 'staff',
      routine: 'string_to_uuid',
      stack: expect.stringContaining('create-logger.spec'),
    });
    expect(lines()[1].err).toMatchObject({ cause: { type: 'QueryFailedError', code: '22P02' } });
  });

  it('cuts the query string from URLs in messages, errors and requests', () => {
    const { logger, lines } = capture();
    // What Fastify writes on a second reply, and for an unknown route.
    const twice = Object.assign(
      new Error('Reply was already sent, did you forget to "return reply" in "/v1/staff?q=Zuzana" (GET)?'),
      { code: 'FST_ERR_REP_ALREADY_SENT' },
    );
    logger.warn({ err: twice });
    logger.info('Route GET:/v1/staff?q=Zuzana&limit=5 not found');
    logger.error({ req: { method: 'GET', url: '/v1/staff?q=Zuzana', headers: { referer: '/?q=Zuzana' } } });
    expect(JSON.stringify(lines())).not.toContain('Zuzana');
    expect(lines()[0].err).toMatchObject({ code: 'FST_ERR_REP_ALREADY_SENT' });
    expect(lines()[0].err).toMatchObject({ message: expect.stringContaining('"/v1/staff?…"') });
    expect(lines()[1].msg).toBe('Route GET:/v1/staff?… not found');
    expect(lines()[2].req).toEqual({ method: 'GET', url: '/v1/staff' });
  });
});

function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

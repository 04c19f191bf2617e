import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
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
    expect(lines()[0].req).toEqual({ headers: { authorization: '[redacted]', cookie: '[redacted]' } });
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

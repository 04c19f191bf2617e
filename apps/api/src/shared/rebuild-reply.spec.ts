import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@cadre/event-store';
import { rebuildReply } from './command-reply.interceptor.js';

const event = (stream: string, revision: number, position: string): RecordedEvent => ({
  eventId: `${stream}-${revision}`,
  type: 'Something',
  data: {},
  metadata: {
    correlationId: 'c',
    causationId: 'c',
    actor: null,
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
    idempotencyKey: 'k',
    idempotencyScope: 's',
  },
  stream,
  revision,
  position,
  recordedAt: '2026-01-01T00:00:00.000Z',
  hash: '00',
});

describe('rebuildReply: the first answer of a creation, from the events it wrote (decision 0019)', () => {
  it('answers the id of the stream, its last revision and position, 201 when they began it', () => {
    const written = [
      event('employee-ref-AL-x', 0, '1-1'),
      event('team-t1', 0, '2-1'),
      event('team-t1', 1, '2-2'),
    ];
    const reply = rebuildReply(written, 'team');
    expect(reply).toMatchObject({ status: 201, body: { id: 't1', revision: 1, position: '2-2' } });
  });

  it('answers 200 when the stream was there before, and null when nothing of the category was written', () => {
    expect(rebuildReply([event('session-s1', 4, '9-1')], 'session')).toMatchObject({
      status: 200,
      body: { id: 's1', revision: 4, position: '9-1' },
    });
    expect(rebuildReply([event('employee-ref-AL-x', 0, '1-1')], 'staff')).toBeNull();
    expect(rebuildReply([], 'team')).toBeNull();
  });
});

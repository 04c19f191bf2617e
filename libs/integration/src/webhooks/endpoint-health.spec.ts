import { describe, expect, it } from '@jest/globals';
import { afterAttempt, type EndpointHealth } from './endpoint-health.js';
import { retryAfterMs } from './post-signed.js';
import { retryDelayMs } from './subject-ordered-deliverer.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const ACTIVE: EndpointHealth = {
  state: 'active',
  consecutiveFailures: 0,
  failingSince: null,
  probes: 0,
  holdUntil: null,
  reason: null,
};
const failed = (status: number | null, retryAfter: number | null = null) =>
  ({ delivered: false, status, retryAfterMs: retryAfter }) as const;
const OPTIONS = { failingAfter: 3, probeDelaysMs: [1000, 5000], disableAfterMs: 60_000 };

describe('endpoint health', () => {
  it('counts failures against the event until the receiver is seen failing; that attempt and the probes spend nothing', () => {
    const one = afterAttempt(ACTIVE, failed(503), NOW, OPTIONS);
    expect(one).toEqual({ health: { ...ACTIVE, consecutiveFailures: 1 }, counts: true });
    const two = afterAttempt(one.health, failed(null), NOW, OPTIONS);
    const three = afterAttempt(two.health, failed(500), NOW, OPTIONS);
    expect(three.counts).toBe(false);
    expect(three.health).toMatchObject({
      state: 'failing',
      consecutiveFailures: 3,
      failingSince: NOW,
      probes: 0,
      holdUntil: new Date(NOW.getTime() + 1000),
    });
    const probe = afterAttempt(three.health, failed(503), new Date(NOW.getTime() + 1000), OPTIONS);
    expect(probe.counts).toBe(false);
    expect(probe.health).toMatchObject({ state: 'failing', probes: 1, failingSince: NOW });
    // The second probe waits 5 s, and so does every later one (the last delay repeats).
    expect(probe.health.holdUntil).toEqual(new Date(NOW.getTime() + 6000));
    const later = afterAttempt(probe.health, failed(503), new Date(NOW.getTime() + 6000), OPTIONS);
    expect(later.health.holdUntil).toEqual(new Date(NOW.getTime() + 11_000));
  });

  it('a success resumes: active, failures forgotten, no hold', () => {
    const failing = afterAttempt({ ...ACTIVE, consecutiveFailures: 2 }, failed(503), NOW, OPTIONS).health;
    expect(afterAttempt(failing, { delivered: true }, NOW, OPTIONS)).toEqual({
      health: ACTIVE,
      counts: true,
    });
  });

  it('failing past the limit disables; 410 disables at once; paused and disabled stay as they are', () => {
    const failing: EndpointHealth = {
      ...ACTIVE,
      state: 'failing',
      consecutiveFailures: 9,
      failingSince: NOW,
    };
    const late = afterAttempt(failing, failed(503), new Date(NOW.getTime() + 60_000), OPTIONS);
    expect(late.health).toMatchObject({ state: 'disabled', reason: 'failing for too long' });
    const gone = afterAttempt(ACTIVE, failed(410), NOW, OPTIONS);
    expect(gone).toMatchObject({ health: { state: 'disabled' }, counts: false });
    expect(gone.health.reason).toContain('410');
    const paused = { ...ACTIVE, state: 'paused' as const };
    expect(afterAttempt(paused, { delivered: true }, NOW, OPTIONS).health.state).toBe('paused');
    expect(afterAttempt(paused, failed(503), NOW, OPTIONS).health.state).toBe('paused');
  });

  it('Retry-After holds the subscription (capped), without spending the event', () => {
    const told = afterAttempt(ACTIVE, failed(429, 30_000), NOW, OPTIONS);
    expect(told).toEqual({
      health: { ...ACTIVE, consecutiveFailures: 1, holdUntil: new Date(NOW.getTime() + 30_000) },
      counts: false,
    });
    const capped = afterAttempt(ACTIVE, failed(503, 86_400_000), NOW, { maxRetryAfterMs: 60_000 });
    expect(capped.health.holdUntil).toEqual(new Date(NOW.getTime() + 60_000));
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(new Date(NOW.getTime() + 5000).toUTCString(), NOW.getTime())).toBe(5000);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });

  it("retries on Standard Webhooks' schedule, scaled and jittered, then stops", () => {
    expect(retryDelayMs({ retryJitter: 0 }, 1)).toBe(5000);
    expect(retryDelayMs({ retryJitter: 0 }, 7)).toBe(36_000_000);
    expect(retryDelayMs({ retryJitter: 0 }, 8)).toBeNull();
    expect(retryDelayMs({ retryJitter: 0, retryScale: 0.001 }, 2)).toBe(300);
    for (let i = 0; i < 50; i += 1) {
      const jittered = retryDelayMs({}, 3)!;
      expect(jittered).toBeGreaterThanOrEqual(1_800_000 * 0.8);
      expect(jittered).toBeLessThanOrEqual(1_800_000 * 1.2);
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import { Stopping } from './stopping.js';

describe('Stopping', () => {
  it('counts requests in flight and waiting ones, each released once however often it is called', () => {
    const stopping = new Stopping();
    const first = stopping.requestStarted();
    const second = stopping.requestStarted();
    const poll = stopping.waits('long-poll');
    expect(stopping.requestsInFlight).toBe(2);
    expect(stopping.waitingRequests()).toEqual({ 'long-poll': 1, stream: 0 });
    first();
    first();
    poll();
    expect(stopping.requestsInFlight).toBe(1);
    expect(stopping.waitingRequests()).toEqual({ 'long-poll': 0, stream: 0 });
    second();
    expect(stopping.requestsInFlight).toBe(0);
  });

  it('aborts its signal when the stop begins', () => {
    const stopping = new Stopping();
    expect(stopping.stopping).toBe(false);
    stopping.begin();
    expect(stopping.stopping).toBe(true);
    expect(stopping.signal.aborted).toBe(true);
  });

  it('waits until the last request is released, or says it did not happen in time', async () => {
    const stopping = new Stopping();
    const done = stopping.requestStarted();
    const idle = stopping.until((s) => s.requestsInFlight === 0, 5000);
    setTimeout(done, 10);
    await expect(idle).resolves.toBe(true);
    stopping.requestStarted();
    await expect(stopping.until((s) => s.requestsInFlight === 0, 20)).resolves.toBe(false);
  });
});

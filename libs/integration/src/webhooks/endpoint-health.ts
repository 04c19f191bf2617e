/** Where a subscription's receiver stands (decision 0025). */
export type EndpointState = 'active' | 'failing' | 'disabled' | 'paused';

export const ENDPOINT_STATES: readonly EndpointState[] = ['active', 'failing', 'disabled', 'paused'];

export interface EndpointHealth {
  readonly state: EndpointState;
  readonly consecutiveFailures: number;
  readonly failingSince: Date | null;
  /** Probes sent since it is failing. */
  readonly probes: number;
  /** No attempt before this instant (a probe's backoff, a Retry-After); null: none. */
  readonly holdUntil: Date | null;
  /** Why it is disabled or failing, for the subscription's owner. */
  readonly reason: string | null;
}

export interface EndpointHealthOptions {
  /** Consecutive failed attempts, across subjects, after which the receiver is `failing` (20). */
  readonly failingAfter?: number;
  /** The delays between probes of a failing receiver; the last repeats (5 s … 1 h). */
  readonly probeDelaysMs?: readonly number[];
  /** How long a receiver may be failing before the subscription is `disabled` (5 days). */
  readonly disableAfterMs?: number;
  /** The longest Retry-After honoured (1 h): a longer one is cut to it. */
  readonly maxRetryAfterMs?: number;
}

export type AttemptOutcome =
  | { readonly delivered: true }
  | { readonly delivered: false; readonly status: number | null; readonly retryAfterMs: number | null };

const DAY_MS = 86_400_000;
export const DEFAULT_PROBE_DELAYS_MS: readonly number[] = [
  5_000, 30_000, 120_000, 300_000, 900_000, 1_800_000, 3_600_000,
];

/**
 * The receiver's health after an attempt, and whether the attempt counts against its event's own
 * retry schedule: it does not while the receiver is failing (a probe), gone (410) or asking to
 * wait (Retry-After) — a receiver down for hours spends nobody's schedule. Pure: the queue
 * applies it in the transaction that records the attempt.
 */
export function afterAttempt(
  health: EndpointHealth,
  outcome: AttemptOutcome,
  now: Date,
  options: EndpointHealthOptions = {},
): { health: EndpointHealth; counts: boolean } {
  const held = health.state === 'paused' || health.state === 'disabled';
  if (outcome.delivered) {
    return {
      health: {
        state: held ? health.state : 'active',
        consecutiveFailures: 0,
        failingSince: null,
        probes: 0,
        holdUntil: null,
        reason: held ? health.reason : null,
      },
      counts: true,
    };
  }
  const failures = health.consecutiveFailures + 1;
  if (outcome.status === 410) {
    return {
      health: {
        ...health,
        state: 'disabled',
        consecutiveFailures: failures,
        reason: 'the receiver answered 410 Gone',
      },
      counts: false,
    };
  }
  const retryAfter =
    outcome.retryAfterMs === null
      ? null
      : Math.min(outcome.retryAfterMs, options.maxRetryAfterMs ?? 3_600_000);
  const hold = (ms: number | null): Date | null => {
    const until = ms === null ? null : new Date(now.getTime() + ms);
    if (!until) return health.holdUntil && health.holdUntil > now ? health.holdUntil : null;
    return health.holdUntil && health.holdUntil > until ? health.holdUntil : until;
  };
  if (held) return { health: { ...health, consecutiveFailures: failures }, counts: true };
  if (health.state === 'failing') {
    const since = health.failingSince ?? now;
    if (now.getTime() - since.getTime() >= (options.disableAfterMs ?? 5 * DAY_MS)) {
      return {
        health: {
          ...health,
          state: 'disabled',
          consecutiveFailures: failures,
          reason: 'failing for too long',
        },
        counts: false,
      };
    }
    const delays = options.probeDelaysMs ?? DEFAULT_PROBE_DELAYS_MS;
    const delay = delays[Math.min(health.probes + 1, delays.length - 1)]!;
    return {
      health: {
        ...health,
        consecutiveFailures: failures,
        failingSince: since,
        probes: health.probes + 1,
        holdUntil: hold(Math.max(delay, retryAfter ?? 0)),
      },
      counts: false,
    };
  }
  if (failures >= (options.failingAfter ?? 20)) {
    const delays = options.probeDelaysMs ?? DEFAULT_PROBE_DELAYS_MS;
    return {
      health: {
        state: 'failing',
        consecutiveFailures: failures,
        failingSince: now,
        probes: 0,
        holdUntil: hold(Math.max(delays[0]!, retryAfter ?? 0)),
        reason: `${failures} attempts in a row failed`,
      },
      // The attempt that shows the receiver failing spends no schedule either.
      counts: false,
    };
  }
  return {
    health: { ...health, consecutiveFailures: failures, holdUntil: hold(retryAfter) },
    counts: retryAfter === null,
  };
}

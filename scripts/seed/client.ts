import { createHash } from 'node:crypto';

export interface CommandReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export class SeedHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} → ${status}: ${JSON.stringify(body).slice(0, 600)}`);
  }
}

/**
 * A small HTTP client for the command API: bearer tokens per caller, an `Idempotency-Key` derived
 * from the seed run id and a step label on every POST (so a re-run replays instead of
 * duplicating), and a few retries on 429/5xx and connection errors. Node's fetch keeps
 * connections alive.
 */
export class SeedClient {
  requests = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly runId: string,
  ) {}

  /** POST a command; `step` names it uniquely within the run (it becomes the idempotency key). */
  async post(
    token: string,
    path: string,
    step: string,
    body: object = {},
    accept: readonly number[] = [],
  ): Promise<CommandReply> {
    const key = createHash('sha256').update(`${this.runId}\u0000${step}`).digest('base64url').slice(0, 40);
    return this.send('POST', path, token, body, key, accept);
  }

  async get(token: string, path: string, accept: readonly number[] = []): Promise<CommandReply> {
    return this.send('GET', path, token, undefined, undefined, accept);
  }

  private async send(
    method: string,
    path: string,
    token: string,
    body: object | undefined,
    idempotencyKey: string | undefined,
    accept: readonly number[],
  ): Promise<CommandReply> {
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        this.requests += 1;
        response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
      } catch (error) {
        if (attempt < 4) {
          await pause(attempt);
          continue;
        }
        throw new Error(`${method} ${path}: ${String(error)} — is Cadre running at ${this.baseUrl}?`);
      }
      const text = await response.text();
      const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (response.ok || accept.includes(response.status)) return { status: response.status, body: parsed };
      if (response.status === 429 && attempt < 10) {
        // Per-caller rate limit (CADRE_RATE_LIMIT_PER_MINUTE): wait as told, then retry.
        const retryAfter = Number(response.headers.get('retry-after') ?? 1);
        await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(retryAfter, 0.2), 30) * 1000));
        continue;
      }
      if (response.status >= 500 && attempt < 4) {
        await pause(attempt);
        continue;
      }
      throw new SeedHttpError(method, path, response.status, parsed);
    }
  }
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));

/** Runs `work` over `items` with at most `concurrency` in flight; results in input order. */
export async function inPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
  onDone?: (done: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (failure === null && next < items.length) {
        const index = next++;
        try {
          results[index] = await work(items[index], index);
        } catch (error) {
          failure ??= error;
          return;
        }
        done += 1;
        onDone?.(done);
      }
    }),
  );
  if (failure !== null) throw failure;
  return results;
}

/** A deterministic pseudo-random generator (mulberry32) seeded from a string. */
export function prng(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

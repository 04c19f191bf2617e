import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import type { EventStore, Subscription } from '@cadre/event-store';
import { CERTIFICATION_FILTER } from '@cadre/integration';

/** When each event id was first seen by one consumer (performance.now() of this process). */
export type Sightings = Map<string, number>;

/**
 * The baseline: the raw store subscription (catch-up then live) on a store instance of its own, so
 * it is woken the way the api process is (LISTEN/NOTIFY), not by the appending instance directly.
 */
export function storeConsumer(store: EventStore, after: string | null) {
  const seen: Sightings = new Map();
  const subscription: Subscription = store.subscribeToAll({
    after: after ?? undefined,
    filter: CERTIFICATION_FILTER,
    batchSize: 500,
  });
  const done = (async () => {
    for await (const batch of subscription) {
      const at = performance.now();
      for (const event of batch) if (!seen.has(event.eventId)) seen.set(event.eventId, at);
    }
  })().catch(() => undefined);
  return {
    seen,
    stop: async () => {
      await subscription.close();
      await done;
    },
  };
}

interface FeedReply {
  readonly status: number;
  readonly next: string | null;
  readonly ids: string[];
}

/**
 * An HR system pulling the feed over real HTTP: `GET /v1/feeds/certifications?after=…&wait=…` in a
 * loop from the last `Cadre-Next-Cursor`, one keep-alive connection.
 */
export function feedConsumer(port: number, token: string, after: string | null, waitSeconds: number) {
  const seen: Sightings = new Map();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let stopping = false;
  let cursor = after;
  let errors = 0;
  let current: http.ClientRequest | null = null;
  const get = (path: string): Promise<FeedReply> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const at = performance.now();
            const ok = res.statusCode === 200;
            const events = ok ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }[]) : [];
            for (const event of events) if (!seen.has(event.id)) seen.set(event.id, at);
            const next = res.headers['cadre-next-cursor'];
            resolve({
              status: res.statusCode ?? 0,
              next: typeof next === 'string' && next ? next : null,
              ids: events.map((e) => e.id),
            });
          });
          res.on('error', reject);
        },
      );
      current = req;
      req.on('error', reject);
      req.end();
    });
  const done = (async () => {
    while (!stopping) {
      const query = new URLSearchParams({
        ...(cursor ? { after: cursor } : {}),
        limit: '1000',
        wait: String(waitSeconds),
      });
      try {
        const reply = await get(`/v1/feeds/certifications?${query.toString()}`);
        if (reply.status !== 200) throw new Error(`feed answered ${reply.status}`);
        if (reply.next) cursor = reply.next;
      } catch {
        if (stopping) break;
        errors += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  })();
  return {
    seen,
    errors: () => errors,
    stop: async () => {
      stopping = true;
      current?.destroy();
      await done;
      agent.destroy();
    },
  };
}

/**
 * An HR system's webhook receiver on 127.0.0.1: a real HTTP server that verifies every delivery's
 * Standard Webhooks signature (the `standardwebhooks` package) and answers 204 after `delayMs`
 * (0: at once). The time of receipt is when the body has fully arrived, before verification.
 */
export async function webhookReceiver(delayMs = 0) {
  const seen: Sightings = new Map();
  let secret = '';
  let rejected = 0;
  let repeats = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ]),
      );
      try {
        new Webhook(secret).verify(body, headers);
      } catch {
        rejected += 1;
        res.writeHead(401).end();
        return;
      }
      const id = headers['webhook-id'];
      if (seen.has(id)) repeats += 1;
      else seen.set(id, at);
      if (delayMs > 0) setTimeout(() => res.writeHead(204).end(), delayMs);
      else res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cadre-hooks`,
    setSecret: (value: string) => (secret = value),
    rejected: () => rejected,
    repeats: () => repeats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { PrivateAddressError, guardedLookup, isPrivateAddress } from './address-guard.js';

export const CLOUDEVENT_JSON = 'application/cloudevents+json';

/**
 * Connections to receivers are kept alive between deliveries: a subscription's events go one
 * after the other, and a new TCP (and TLS) connection per event would cost more than the event.
 * The address guard still runs on every new connection.
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 64 }),
} as const;

/** {@link postSignedAnswer}, resolving with the status only. */
export const postSigned = async (...args: Parameters<typeof postSignedAnswer>): Promise<number> =>
  (await postSignedAnswer(...args)).status;

/** What a receiver answered: its status, and how long its Retry-After asks to wait (null: none). */
export interface ReceiverAnswer {
  readonly status: number;
  readonly retryAfterMs: number | null;
}

/** Retry-After in seconds or as an HTTP date, in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Signs and POSTs one body per Standard Webhooks; resolves with the status and the receiver's
 * Retry-After, rejects on a network error.
 */
export async function postSignedAnswer(
  url: string,
  secrets: string | readonly string[],
  id: string,
  body: string,
  timeoutMs = 10_000,
  extraHeaders: Record<string, string> = {},
  blockPrivateAddresses = false,
): Promise<ReceiverAnswer> {
  const timestamp = new Date();
  // One signature per secret in force (a rotation's overlap): the receiver accepts either.
  const signature = (typeof secrets === 'string' ? [secrets] : secrets)
    .map((secret) => new Webhook(secret).sign(id, timestamp, body))
    .join(' ');
  const target = new URL(url);
  if (blockPrivateAddresses) {
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && isPrivateAddress(host)) throw new PrivateAddressError(host, host);
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<ReceiverAnswer>((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': CLOUDEVENT_JSON,
          'content-length': Buffer.byteLength(body),
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
          ...extraHeaders,
        },
        timeout: timeoutMs,
        agent: target.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'],
        ...(blockPrivateAddresses ? { lookup: guardedLookup as never } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfterMs: retryAfterMs(res.headers['retry-after']),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

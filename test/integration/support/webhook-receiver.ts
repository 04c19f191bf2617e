import { createServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP, type CloudEvent } from 'cloudevents';
import { Webhook } from 'standardwebhooks';

/**
 * An HR system's receiver on 127.0.0.1: verifies the signature (standardwebhooks), parses the
 * CloudEvent (the cloudevents SDK), fails or hangs while told to, and counts the requests it is
 * answering at once.
 */
export class Receiver {
  readonly received: { webhookId: string; event: CloudEvent; headers: Record<string, string> }[] = [];
  readonly rejectedSignatures: string[] = [];
  /** The webhook-id of every request, failed ones included. */
  readonly attempts: string[] = [];
  /** When each attempt came (ms since the epoch), by webhook-id. */
  readonly attemptTimes = new Map<string, number[]>();
  failuresLeft = 0;
  /** While true, requests are left unanswered (a receiver that hangs); kept to be ended later. */
  hanging = false;
  readonly held: ServerResponse[] = [];
  /** When set and returning an answer, that answer is given (status, headers) instead of 204. */
  answer: () => { status: number; headers?: Record<string, string> } | null = () => null;
  /** Answers 503 to the events whose subject it returns true for. */
  failing: (subject: string) => boolean = () => false;
  /** How long it takes to answer: `answerAfterMs` plus up to `answerJitterMs` at random. */
  answerAfterMs = 0;
  answerJitterMs = 0;
  /** Requests that came while another of the same subject was being answered. */
  subjectOverlaps = 0;
  private readonly bySubject = new Map<string, number>();
  /** Requests being answered now, and the most there ever were. */
  concurrent = 0;
  maxConcurrent = 0;
  secret = '';
  private server: HttpServer | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        try {
          new Webhook(this.secret).verify(body, headers);
        } catch {
          this.rejectedSignatures.push(headers['webhook-id']);
          res.writeHead(400).end();
          return;
        }
        const id = headers['webhook-id'];
        this.attempts.push(id);
        this.attemptTimes.set(id, [...(this.attemptTimes.get(id) ?? []), Date.now()]);
        if (this.hanging) {
          this.held.push(res);
          return;
        }
        const event = HTTP.toEvent({ headers, body }) as CloudEvent;
        const member = String(event.subject);
        this.concurrent += 1;
        this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
        if (this.bySubject.has(member)) this.subjectOverlaps += 1;
        this.bySubject.set(member, (this.bySubject.get(member) ?? 0) + 1);
        const respond = (): void => {
          this.concurrent -= 1;
          const left = this.bySubject.get(member)! - 1;
          if (left > 0) this.bySubject.set(member, left);
          else this.bySubject.delete(member);
          const given = this.answer();
          if (given) {
            res.writeHead(given.status, given.headers ?? {}).end();
            return;
          }
          if (this.failuresLeft > 0 || this.failing(String(event.subject))) {
            if (this.failuresLeft > 0) this.failuresLeft -= 1;
            res.writeHead(503).end();
            return;
          }
          this.received.push({ webhookId: id, event, headers });
          res.writeHead(204).end();
        };
        const after = this.answerAfterMs + Math.random() * this.answerJitterMs;
        if (after > 0) setTimeout(respond, after);
        else respond();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

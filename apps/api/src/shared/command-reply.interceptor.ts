import {
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, finalize, from, mergeMap, of, type Observable } from 'rxjs';
import type { RecordedEvent } from '@cadre/event-store';
import { CadreError, type Actor } from '@cadre/kernel';
import { CommandReply } from './command-reply.js';
import { IDEMPOTENCY_KEY, idempotencyOf, markRecovering } from './command-request.js';
import { IdempotencyStore, type IdempotencyClaim } from './idempotency.store.js';

class InvalidIdempotencyKeyError extends CadreError {
  readonly category = 'validation' as const;
  constructor() {
    super('REQUEST.INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
      header: 'Idempotency-Key',
    });
  }
}

const REBUILT_FROM = 'cadre:idempotency-rebuilt-from';

/**
 * On a command route that creates a record under a fresh id (`<category>-<id>`): when a retry
 * takes over the `Idempotency-Key` of a request cut short after it wrote, its answer is rebuilt
 * from the events written on that category's stream (the id, its revision and position; 201 when
 * they began the stream), since running the command again would create a second record.
 * Every other command route runs again instead, and answers what its streams recorded (decision 0019).
 */
export const RebuiltFrom = (category: string): MethodDecorator => SetMetadata(REBUILT_FROM, category);

/** The first answer of a command that wrote these events on a `<category>-<id>` stream, or null. */
export function rebuildReply(written: readonly RecordedEvent[], category: string): CommandReply | null {
  const mine = written.filter((event) => event.stream.startsWith(`${category}-`));
  const last = mine.at(-1);
  if (!last) return null;
  const first = mine.find((event) => event.stream === last.stream)!;
  return CommandReply.of(last.stream.slice(category.length + 1), {
    revision: last.revision,
    position: last.position,
    created: first.revision === 0,
  });
}

/**
 * Renders a {@link CommandReply} (status, `ETag`, body) and implements `Idempotency-Key` on every
 * POST and DELETE: the same key and body replay the first response with
 * `Idempotency-Replayed: true` and run nothing; the same key with another body is a 422. While the
 * command runs, its claim's lease is renewed; a claim whose owner died is recovered (decision 0019).
 */
@Injectable()
export class CommandReplyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !['POST', 'DELETE'].includes(request.method)) {
      return next.handle().pipe(mergeMap((value) => of(render(value, reply))));
    }
    if (!IDEMPOTENCY_KEY.test(key)) throw new InvalidIdempotencyKeyError();
    const { scope } = idempotencyOf(request)!;
    const hash = IdempotencyStore.hash(request.body);
    const category = this.reflector.get<string | undefined>(REBUILT_FROM, context.getHandler());
    const replay = (status: number, body: unknown): Observable<unknown> => {
      reply.status(status).header('Idempotency-Replayed', 'true');
      const revision = (body as { revision?: unknown } | null)?.revision;
      if (typeof revision === 'number') reply.header('ETag', `"${revision}"`);
      return of(body);
    };
    return from(this.idempotency.begin(scope, key, hash)).pipe(
      mergeMap((begun) => {
        if (begun.kind === 'replay') return replay(begun.status, begun.body);
        const rebuilt = begun.kind === 'recovered' && category ? rebuildReply(begun.written, category) : null;
        if (rebuilt) {
          return from(this.idempotency.complete(begun.claim, rebuilt.status, rebuilt.body)).pipe(
            mergeMap(() => replay(rebuilt.status, rebuilt.body)),
          );
        }
        if (begun.kind === 'recovered') markRecovering(request);
        return this.run(begun.claim, next, reply);
      }),
    );
  }

  /** Runs the command under the claim, renewing its lease until it answers or fails. */
  private run(claim: IdempotencyClaim, next: CallHandler, reply: FastifyReply): Observable<unknown> {
    const heartbeat = setInterval(() => {
      this.idempotency.heartbeat(claim).catch(() => undefined);
    }, this.idempotency.heartbeatMs);
    heartbeat.unref();
    return next.handle().pipe(
      mergeMap(async (value) => {
        const body = render(value, reply);
        await this.idempotency.complete(claim, reply.statusCode, body ?? null);
        return body;
      }),
      catchError(async (error: unknown) => {
        await this.idempotency.release(claim).catch(() => undefined);
        throw error;
      }),
      finalize(() => clearInterval(heartbeat)),
    );
  }
}

function render(value: unknown, reply: FastifyReply): unknown {
  if (!(value instanceof CommandReply)) return value;
  reply.status(value.status);
  if (value.body.revision >= 0) reply.header('ETag', `"${value.body.revision}"`);
  return value.body;
}

import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, of, type Observable } from 'rxjs';
import { CadreError, type Actor } from '@cadre/kernel';
import { CommandReply } from './command-reply.js';
import { IdempotencyStore } from './idempotency.store.js';

class InvalidIdempotencyKeyError extends CadreError {
  readonly category = 'validation' as const;
  constructor() {
    super('REQUEST.INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
      header: 'Idempotency-Key',
    });
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Renders a {@link CommandReply} (status, `ETag`, body) and implements `Idempotency-Key` on every
 * POST and DELETE: the same key and body replay the first response with
 * `Idempotency-Replayed: true` and run nothing; the same key with another body is a 422.
 */
@Injectable()
export class CommandReplyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !['POST', 'DELETE'].includes(request.method)) {
      return next.handle().pipe(mergeMap((value) => of(render(value, reply))));
    }
    if (!KEY.test(key)) throw new InvalidIdempotencyKeyError();
    const scope = `${request.actor?.sub ?? 'anonymous'} ${request.method} ${request.url.split('?')[0]}`;
    const hash = IdempotencyStore.hash(request.body);
    return from(this.idempotency.begin(scope, key, hash)).pipe(
      mergeMap((begun) => {
        if (begun.kind === 'replay') {
          reply.status(begun.status).header('Idempotency-Replayed', 'true');
          const body = begun.body as { revision?: number } | null;
          if (typeof body?.revision === 'number') reply.header('ETag', `"${body.revision}"`);
          return of(begun.body);
        }
        return next.handle().pipe(
          mergeMap(async (value) => {
            const body = render(value, reply);
            await this.idempotency.complete(scope, key, reply.statusCode, body ?? null);
            return body;
          }),
          catchError(async (error: unknown) => {
            await this.idempotency.release(scope, key).catch(() => undefined);
            throw error;
          }),
        );
      }),
    );
  }
}

function render(value: unknown, reply: FastifyReply): unknown {
  if (!(value instanceof CommandReply)) return value;
  reply.status(value.status);
  if (value.body.revision >= 0) reply.header('ETag', `"${value.body.revision}"`);
  return value.body;
}

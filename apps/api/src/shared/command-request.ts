import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { CommandRequest } from '@cadre/command-handling/nest';
import { CadreError, TEXT_NOT_PLAIN, type Actor } from '@cadre/kernel';
import { Problems } from '@cadre/platform';
import { CommandReplyDto } from './command-reply.js';

/** Who sends a command and how (the command handlers' type): built from the request by `@Command()`. */
export type { CommandRequest };

export class InvalidIfMatchError extends CadreError {
  readonly category = 'validation' as const;
  constructor(value: string) {
    super(
      'REQUEST.INVALID_IF_MATCH',
      `If-Match must be a revision as returned in ETag (e.g. "3"), not ${JSON.stringify(value.slice(0, 40))}.`,
      {
        header: 'If-Match',
      },
    );
  }
}

const ETAG = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/;

export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  const match = ETAG.exec(value);
  if (!match) throw new InvalidIfMatchError(value);
  return Number(match[1]);
}

/**
 * What every command route answers and accepts, declared for the OpenAPI document by `@Command()`
 * itself, so that no command route can forget it: `If-Match`, the reply (201 when the command
 * created the record, 200 otherwise) and the problems of loading, deciding and appending.
 */
const commandContract = (target: object, key: string | symbol | undefined): void => {
  const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
  const decorators: MethodDecorator[] = [
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'The revision (`ETag` of a read or a command reply, e.g. `"3"`) the change is based on: 412 `COMMAND.REVISION_MISMATCH` when the record has moved on. Without it, a concurrent change is retried.',
      schema: { type: 'string', pattern: '^\\s*(W/)?"?\\d{1,15}"?\\s*$|^\\*$' },
    }),
    ApiResponse({
      status: 200,
      description: 'Done: the record, its new revision (`ETag`) and the position written',
      type: CommandReplyDto,
    }),
    ApiResponse({
      status: 201,
      description: 'Done, and the record was created by it',
      type: CommandReplyDto,
    }),
    Problems({
      400: [
        'REQUEST.INVALID_IF_MATCH',
        'COMMAND.FIELD_REQUIRED',
        TEXT_NOT_PLAIN,
        'COMMAND.OCCURRED_IN_FUTURE',
        'COMMAND.BACKDATED_WITHOUT_REASON',
      ],
      409: ['COMMAND.CONCURRENT_UPDATE'],
      412: ['COMMAND.REVISION_MISMATCH'],
    }),
  ];
  for (const decorate of decorators) decorate(target, key!, descriptor);
};

/** A valid `Idempotency-Key`: 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's `Idempotency-Key` and its scope (the caller, the method and the path: one key may
 * serve several routes), on a POST or DELETE; undefined when it has none (or an invalid one, which
 * the command-reply interceptor refuses before any command runs).
 */
export function idempotencyOf(
  request: FastifyRequest & { actor?: Actor; idempotencyRecovering?: boolean },
): { key: string; scope: string; recovering?: boolean } | undefined {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !['POST', 'DELETE'].includes(request.method) || !IDEMPOTENCY_KEY.test(key)) {
    return undefined;
  }
  const scope = `${request.actor?.sub ?? 'anonymous'} ${request.method} ${request.url.split('?')[0]}`;
  return { key, scope, ...(request.idempotencyRecovering ? { recovering: true } : {}) };
}

/** Marks the request as one that took its key over from an attempt cut short (decision 0019). */
export function markRecovering(request: FastifyRequest): void {
  (request as FastifyRequest & { idempotencyRecovering?: boolean }).idempotencyRecovering = true;
}

/** The {@link CommandRequest} of the current HTTP request (authenticated routes only). */
export const Command = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandRequest => {
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    if (!request.actor) throw new Error('@Command() used on a route without authentication');
    return {
      actor: request.actor,
      correlationId: String(request.id),
      expectedRevision: parseIfMatch(request.headers['if-match']),
      idempotency: idempotencyOf(request),
    };
  },
  [commandContract],
);

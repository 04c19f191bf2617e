import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CadreError, type Actor } from '@cadre/kernel';

/** Who sends a command and how: the authenticated actor, the request's correlation id and `If-Match`. */
export interface CommandRequest {
  readonly actor: Actor;
  readonly correlationId: string;
  /** The revision named by `If-Match`, when the caller pinned one. */
  readonly expectedRevision?: number;
}

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

/** The {@link CommandRequest} of the current HTTP request (authenticated routes only). */
export const Command = createParamDecorator((_data: unknown, context: ExecutionContext): CommandRequest => {
  const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
  if (!request.actor) throw new Error('@Command() used on a route without authentication');
  return {
    actor: request.actor,
    correlationId: String(request.id),
    expectedRevision: parseIfMatch(request.headers['if-match']),
  };
});

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@cadre/kernel';

/** Who reads, and the exchange the answer goes back by: the request (its `Accept`) and the reply. */
export interface ReadRequest {
  readonly actor: Actor;
  readonly request: FastifyRequest;
  /** Nest still sends what the route returns (as with `@Res({ passthrough: true })`); a CSV export streams here. */
  readonly reply: FastifyReply;
}

/** `@ReadRequest() read: ReadRequest`: the {@link ReadRequest} of the current HTTP request (authenticated routes only). */
export const ReadRequest = createParamDecorator((_data: unknown, context: ExecutionContext): ReadRequest => {
  const http = context.switchToHttp();
  const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
  if (!request.actor)
    throw new Error('@ReadRequest() used on a route without authentication (a @Public() route?)');
  return { actor: request.actor, request, reply: http.getResponse<FastifyReply>() };
});

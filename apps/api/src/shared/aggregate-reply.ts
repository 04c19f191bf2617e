import type { FastifyReply } from 'fastify';

/** A GET of one aggregate's current state: the body, with `ETag` = the stream revision. */
export function withRevision<Body>(
  reply: FastifyReply,
  revision: number,
  body: Body,
): Body & { revision: number } {
  reply.header('ETag', `"${revision}"`);
  return { ...body, revision };
}

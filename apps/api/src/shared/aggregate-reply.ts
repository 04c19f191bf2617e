import type { FastifyReply } from 'fastify';
import { loadAggregate } from '@cadre/command-handling';
import type { Decider, DomainCommand, DomainEvent } from '@cadre/domain';
import type { EventStore } from '@cadre/event-store';

/** A GET of one aggregate's current state: the body, with `ETag` = the stream revision. */
export function withRevision<Body>(
  reply: FastifyReply,
  revision: number,
  body: Body,
): Body & { revision: number } {
  reply.header('ETag', `"${revision}"`);
  return { ...body, revision };
}

/**
 * Reads one kind of record by its id: its state and revision as its stream has them; `notFound(id)`
 * is thrown when the stream holds nothing yet (the state is still the initial `none`).
 */
export const recordReader =
  <Event extends DomainEvent, State extends { readonly status: string }>(
    stream: (id: string) => string,
    decider: Pick<Decider<DomainCommand, Event, State, never>, 'evolve' | 'initialState'>,
    notFound: (id: string) => Error,
  ) =>
  async (
    store: EventStore,
    id: string,
  ): Promise<{ state: Exclude<State, { readonly status: 'none' }>; revision: number }> => {
    const { state, revision } = await loadAggregate(store, stream(id), decider);
    if (state.status === 'none') throw notFound(id);
    return { state: state as Exclude<State, { readonly status: 'none' }>, revision };
  };

import { CadreError, randomIds, type Actor, type IdGenerator } from '@cadre/kernel';
import {
  schemaVersionOf,
  type DecisionContext,
  type Decider,
  type DomainCommand,
  type DomainEvent,
} from '@cadre/domain';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type Position,
  type RecordedEvent,
} from '@cadre/event-store';
import { readLog } from '@cadre/subscriptions';

/** Where a command comes from: who, in which request, caused by what, and when it is now. */
export interface CommandEnvelope {
  readonly actor: Actor;
  readonly correlationId: string;
  /** The event or request that caused this command; the request's correlation id when absent. */
  readonly causationId?: string | null;
  /** The clock of the caller (injectable in tests and in process managers). */
  readonly now: () => Date;
  /** `If-Match`: the revision the caller saw. A mismatch is refused, never retried. */
  readonly expectedRevision?: number;
  /** Decide, and answer what would be recorded and the state after it, but append nothing. */
  readonly dryRun?: boolean;
  /** The request's `Idempotency-Key` and its scope, when it has one: see {@link IdempotencyTag}. */
  readonly idempotency?: IdempotencyTag;
}

/**
 * The `Idempotency-Key` of a request and its scope (caller, method, path). Every event the command
 * appends carries both in its metadata.
 */
export interface IdempotencyTag {
  readonly key: string;
  readonly scope: string;
  /**
   * The request took its key over from an attempt that was cut short (decision 0019): a stream that
   * already holds events of this tag is not decided again, the command answers what was recorded
   * then, so the retry completes what was half written and never writes a stream twice. (Not on a
   * plain retry: an attempt that failed and was undone released its key, and is decided anew.)
   */
  readonly recovering?: boolean;
}

/** Whether the event was appended by a command of the request with this idempotency tag. */
export const carriesIdempotency = (event: RecordedEvent, tag: IdempotencyTag): boolean =>
  event.metadata.idempotencyKey === tag.key && event.metadata.idempotencyScope === tag.scope;

/**
 * The events appended under this idempotency tag after `after` (the whole log when null), in
 * global order: the log read with {@link readLog}, the same for every adapter.
 */
export async function writtenUnder(
  store: EventStore,
  tag: IdempotencyTag,
  after: Position | null,
): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  for await (const page of readLog(store, { after })) {
    found.push(...page.filter((event) => carriesIdempotency(event, tag)));
  }
  return found;
}

export interface CommandSpec<
  Command extends DomainCommand,
  Event extends DomainEvent,
  State,
  Context extends DecisionContext,
> {
  readonly stream: string;
  readonly decider: Decider<Command, Event, State, Context>;
  readonly command: Command;
  /**
   * What the decision needs beyond the stream (the framework in force, the member's
   * certifications…), loaded afresh on every attempt from the state just read.
   */
  readonly context?: (state: State, base: DecisionContext) => Promise<Context> | Context;
}

export interface CommandResult<State> {
  /** The stream's revision after the command (-1: the stream is still empty). */
  readonly revision: number;
  /** The global position of the last event written, or of the stream's head when nothing was. */
  readonly position: Position | null;
  readonly events: readonly RecordedEvent[] | readonly NewEvent[];
  readonly state: State;
  /** Whether the command created the stream. */
  readonly created: boolean;
}

/** The caller's `If-Match` revision is not the stream's: nothing was written (HTTP 412). */
export class RevisionMismatchError extends CadreError {
  readonly category = 'precondition' as const;
  constructor(stream: string, expected: number, actual: number) {
    super(
      'COMMAND.REVISION_MISMATCH',
      `The record changed since you read it: it is at revision ${actual}, not ${expected}. Read it again and retry.`,
      { stream, expectedRevision: expected, actualRevision: actual },
    );
  }
}

/** Too many concurrent writers on one stream: the command may be retried (HTTP 409). */
export class ConcurrencyExhaustedError extends CadreError {
  readonly category = 'conflict' as const;
  constructor(stream: string) {
    super('COMMAND.CONCURRENT_UPDATE', `${stream} is being changed by others right now; retry the command.`, {
      stream,
    });
  }
}

const MAX_ATTEMPTS = 5;

/** The context every decision starts from: the instant, the id generator and who acts. */
export function decisionContext(now: Date, actor: Actor, newId: IdGenerator = randomIds): DecisionContext {
  return { now: now.toISOString(), newId, actor };
}

/**
 * The one load-decide-append path of Cadre (command handlers and process managers alike): read the
 * stream, fold its state, ask the pure decider, append what it decided with the revision it read
 * as the expected revision. A conflict re-reads and re-decides, a bounded number of times, unless
 * the caller pinned the revision with `If-Match`.
 */
export async function handleCommand<
  Command extends DomainCommand,
  Event extends DomainEvent,
  State,
  Context extends DecisionContext,
>(
  store: EventStore,
  spec: CommandSpec<Command, Event, State, Context>,
  envelope: CommandEnvelope,
): Promise<CommandResult<State>> {
  for (let attempt = 1; ; attempt += 1) {
    const recorded = await store.readStream(spec.stream);
    const revision = recorded.length - 1;
    const written = envelope.idempotency?.recovering
      ? recordedOutcome(spec, recorded, envelope.idempotency)
      : null;
    if (written) return written;
    if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== revision) {
      throw new RevisionMismatchError(spec.stream, envelope.expectedRevision, revision);
    }
    const state = recorded.reduce(
      (current, event) => spec.decider.evolve(current, toDomainEvent<Event>(event)),
      spec.decider.initialState(),
    );
    const base = decisionContext(envelope.now(), envelope.actor);
    const context = spec.context ? await spec.context(state, base) : (base as Context);
    const decided = spec.decider.decide(spec.command, state, context);
    if (decided.length === 0) {
      return { revision, position: recorded.at(-1)?.position ?? null, events: [], state, created: false };
    }
    const events = decided.map((event) => toNewEvent(event, envelope, base.now));
    if (envelope.dryRun) {
      const position = recorded.at(-1)?.position ?? null;
      return {
        revision,
        position,
        events,
        state: decided.reduce(spec.decider.evolve, state),
        created: false,
      };
    }
    try {
      const result = await store.append(spec.stream, events, {
        expectedRevision: revision < 0 ? 'no_stream' : revision,
      });
      const next = decided.reduce(spec.decider.evolve, state);
      return {
        revision: result.nextRevision,
        position: result.position,
        events,
        state: next,
        created: revision < 0,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (envelope.expectedRevision !== undefined) {
        throw new RevisionMismatchError(spec.stream, envelope.expectedRevision, numeric(error.actual));
      }
      if (attempt >= MAX_ATTEMPTS) throw new ConcurrencyExhaustedError(spec.stream);
      // Jitter, so that writers that collided do not collide again in lock step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

/**
 * What a command of this idempotency tag recorded on the stream before, as its result then: the
 * state and revision just after its last event, the position of that event; null when it wrote
 * nothing here.
 */
function recordedOutcome<Event extends DomainEvent, State>(
  spec: Pick<CommandSpec<DomainCommand, Event, State, never>, 'decider'>,
  recorded: readonly RecordedEvent[],
  tag: IdempotencyTag,
): CommandResult<State> | null {
  const mine = recorded.filter((event) => carriesIdempotency(event, tag));
  const last = mine.at(-1);
  if (!last) return null;
  const state = recorded
    .slice(0, last.revision + 1)
    .reduce(
      (current, event) => spec.decider.evolve(current, toDomainEvent<Event>(event)),
      spec.decider.initialState(),
    );
  return {
    revision: last.revision,
    position: last.position,
    events: mine,
    state,
    created: mine[0]!.revision === 0,
  };
}

/** Reads a stream and folds it: the current state of one aggregate, and its revision (the ETag). */
export async function loadAggregate<Event extends DomainEvent, State>(
  store: EventStore,
  stream: string,
  decider: Pick<Decider<DomainCommand, Event, State, never>, 'evolve' | 'initialState'>,
): Promise<{ state: State; revision: number; events: RecordedEvent[] }> {
  const events = await store.readStream(stream);
  const state = events.reduce((s, e) => decider.evolve(s, toDomainEvent<Event>(e)), decider.initialState());
  return { state, revision: events.length - 1, events };
}

/** A recorded event as the domain sees it: its id and business time travel in `metadata`. */
export function toDomainEvent<Event extends DomainEvent>(event: RecordedEvent): Event {
  return {
    type: event.type,
    data: event.data,
    metadata: {
      eventId: event.eventId,
      occurredAt: event.metadata.occurredAt,
      reason: event.metadata.reason,
    },
  } as unknown as Event;
}

function toNewEvent(event: DomainEvent, envelope: CommandEnvelope, now: string): NewEvent {
  const reason = event.metadata?.reason;
  return {
    eventId: randomIds(),
    type: event.type,
    data: event.data,
    metadata: {
      correlationId: envelope.correlationId,
      causationId: envelope.causationId ?? envelope.correlationId,
      actor: {
        sub: envelope.actor.sub,
        roles: [...envelope.actor.roles],
        jurisdictions: [...envelope.actor.jurisdictions],
      },
      occurredAt: event.metadata?.occurredAt ?? now,
      // The type's current version: what the domain decided is in that form (decision 0014).
      schemaVersion: schemaVersionOf(event.type),
      ...(reason ? { reason } : {}),
      ...(envelope.idempotency
        ? { idempotencyKey: envelope.idempotency.key, idempotencyScope: envelope.idempotency.scope }
        : {}),
    },
  };
}

const numeric = (actual: number | 'no_stream'): number => (actual === 'no_stream' ? -1 : actual);

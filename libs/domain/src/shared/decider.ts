import type { Actor } from '@cadre/kernel';
import { resolveOccurredAt, type Instant } from './time.js';
import { assertPlainText } from './validation.js';

/**
 * What the envelope tells the domain about a recorded event. The handler fills `eventId` when it
 * loads a stream (corrections name their target by event id); `decide` fills `occurredAt` and, for a
 * back-dated or corrective command, `reason`, which the handler copies into the envelope.
 */
export interface EventMetadata {
  readonly eventId?: string;
  readonly occurredAt?: Instant;
  readonly reason?: string;
}

/** An event is plain data: `type` is its past-tense PascalCase name, `data` carries the aggregate id. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: EventMetadata;
}

/** Optional business time of a command: back-dating by more than 24 h needs a `reason`. */
export interface CommandMetadata {
  readonly occurredAt?: Instant;
  readonly reason?: string;
}

export interface DomainCommand<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: CommandMetadata;
}

/** The clock, the id generator and the actor, passed in by the handler: the domain has none of its own. */
export interface DecisionContext {
  readonly now: Instant;
  readonly newId: () => string;
  readonly actor: Actor;
}

/**
 * A pure decider (emmett's shape): `decide` returns the events a command produces or throws a
 * domain error; `evolve` folds one event into the state. Neither does I/O.
 */
export interface Decider<
  Command extends DomainCommand,
  Event extends DomainEvent,
  State,
  Context extends DecisionContext = DecisionContext,
> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds events into a state, from the decider's initial state. */
export function fold<State, Event extends DomainEvent>(
  decider: Pick<Decider<DomainCommand, Event, State, DecisionContext>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/**
 * Returns an event builder stamped with the command's business time (and its reason, when
 * back-dated): refuses, before anything is built, a command of a person whose text is not plain
 * text (a process's commands carry text copied from events already recorded) and a back-dated
 * command without a reason.
 */
export function eventFactory<Event extends DomainEvent>(command: DomainCommand, context: DecisionContext) {
  if (!context.actor.roles.includes('system')) assertPlainText(command.data, command.metadata);
  const metadata = resolveOccurredAt(command.metadata, context.now);
  const emit = <Type extends Event['type']>(
    type: Type,
    data: Extract<Event, { type: Type }>['data'],
  ): Extract<Event, { type: Type }> =>
    ({ type, data, metadata }) as unknown as Extract<Event, { type: Type }>;
  /** `occurredAt`: the business time the events carry. */
  return Object.assign(emit, { occurredAt: metadata.occurredAt });
}

/** Exhaustiveness guard: the compiler reports the case a switch forgot. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

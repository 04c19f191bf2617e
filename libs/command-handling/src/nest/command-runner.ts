import { Inject, Injectable } from '@nestjs/common';
import type { DecisionContext, DomainCommand, DomainEvent } from '@cadre/domain';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { CLOCK, type Actor, type Clock } from '@cadre/kernel';
import {
  decisionContext,
  handleCommand,
  type CommandResult,
  type CommandSpec,
  type IdempotencyTag,
} from '../handle-command.js';

/** Who sends a command and how: the authenticated actor, the request's correlation id and `If-Match`. */
export interface CommandRequest {
  readonly actor: Actor;
  readonly correlationId: string;
  /** The revision named by `If-Match`, when the caller pinned one. */
  readonly expectedRevision?: number;
  /** The request's `Idempotency-Key` and its scope, carried by every event the command appends. */
  readonly idempotency?: IdempotencyTag;
}

/**
 * The Nest face of the one load-decide-append path ({@link handleCommand}): every Nest command
 * handler runs its decider through here, with the request's actor, correlation id,
 * `If-Match` and the process clock.
 */
@Injectable()
export class CommandRunner {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}

  /** The context a decision of this request starts from (now by the process clock). */
  context(request: CommandRequest): DecisionContext {
    return decisionContext(this.clock.now(), request.actor);
  }

  run<Command extends DomainCommand, Event extends DomainEvent, State, Context extends DecisionContext>(
    spec: CommandSpec<Command, Event, State, Context>,
    request: CommandRequest,
    options: { honourIfMatch?: boolean; dryRun?: boolean } = {},
  ): Promise<CommandResult<State>> {
    return handleCommand(this.store, spec, {
      actor: request.actor,
      correlationId: request.correlationId,
      causationId: request.correlationId,
      now: () => this.clock.now(),
      expectedRevision: options.honourIfMatch === false ? undefined : request.expectedRevision,
      dryRun: options.dryRun,
      idempotency: request.idempotency,
    });
  }
}

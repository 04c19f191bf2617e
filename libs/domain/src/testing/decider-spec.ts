import { expect } from '@jest/globals';
import { CadreError, sequentialIds, type Actor } from '@cadre/kernel';

import type { Decider, DecisionContext, DomainCommand, DomainEvent } from '../shared/decider.js';

/** The fixed clock of every decider spec. */
export const NOW = '2025-03-10T09:00:00.000Z';

export const REGIONAL_COORDINATOR: Actor = {
  sub: 'coordinator-1',
  roles: ['training-coordinator'],
  jurisdictions: ['*'],
};

/** Ids `<prefix>-1`, `<prefix>-2`, … in order: deterministic specs. */

export function testContext(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return { now: NOW, newId: sequentialIds(), actor: REGIONAL_COORDINATOR, ...overrides };
}

type Expected<Event> = readonly Event[] | string;

/**
 * Given/when/then for a pure decider: `deciderSpec(decider, context).given(events).when(command)
 * .then(events | errorCode)`. Expected events without `metadata` are compared on `type` and `data`
 * only, so specs state metadata only where it is the point (back-dating, reasons).
 */
export function deciderSpec<
  Command extends DomainCommand,
  Event extends DomainEvent,
  State,
  Context extends DecisionContext,
>(decider: Decider<Command, Event, State, Context>, defaultContext: () => Context) {
  return {
    given(events: readonly Event[]) {
      return {
        when(command: Command, context: Partial<Context> = {}) {
          const run = () => {
            const state = events.reduce(decider.evolve, decider.initialState());
            return decider.decide(command, state, { ...defaultContext(), ...context });
          };
          return {
            then(expected: Expected<Event>): Event[] {
              if (typeof expected === 'string') {
                this.thenThrows(expected);
                return [];
              }
              const actual = run();
              expect(actual.map((event, i) => comparable(event, expected[i]))).toEqual(expected);
              return actual;
            },
            thenThrows(code: string, details?: Record<string, unknown>) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(CadreError);
              const error = caught as CadreError;
              expect({ code: error.code }).toEqual({ code });
              expect(error.message.length).toBeGreaterThan(10);
              if (details) expect(error.details).toMatchObject(details);
              return error;
            },
          };
        },
      };
    },
  };
}

function comparable(actual: DomainEvent, expected: DomainEvent | undefined): DomainEvent {
  if (expected && !('metadata' in expected)) return { type: actual.type, data: actual.data };
  return actual;
}

/** An event as loaded from the store: with the event id the handler puts in its metadata. */
export function recorded<Event extends DomainEvent>(event: Event, eventId: string, occurredAt = NOW): Event {
  return { ...event, metadata: { ...event.metadata, eventId, occurredAt } };
}

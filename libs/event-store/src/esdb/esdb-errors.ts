import { CancelledError, DeadlineExceededError, TimeoutError, UnavailableError } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store.errors.js';

/** The client's errors that mean "the server cannot be reached now": retrying later may succeed. */
export const isUnavailable = (error: unknown): boolean =>
  error instanceof UnavailableError ||
  error instanceof DeadlineExceededError ||
  error instanceof TimeoutError ||
  // The server cancelled the call (it is shutting down); the client's own cancels never get here.
  error instanceof CancelledError;

/** Rethrows an unreachable server as the port's {@link EventStoreUnavailableError}; others unchanged. */
export function translateError(error: unknown): unknown {
  if (isUnavailable(error)) {
    return new EventStoreUnavailableError(`EventStoreDB is unreachable: ${(error as Error).message}`, error);
  }
  return error;
}

/** Runs one client call, translating an unreachable server. */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateError(error);
  }
}

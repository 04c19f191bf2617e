import { AsyncLocalStorage } from 'node:async_hooks';
import { randomIds } from '@cadre/kernel';

export interface RequestContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, if any (set by the HTTP layer for each request). */
export const currentRequestContext = (): RequestContext | undefined => storage.getStore();

/** Runs `fn` (and everything it awaits) inside `context`. */
export const runInRequestContext = <T>(context: RequestContext, fn: () => T): T => storage.run(context, fn);

export const CORRELATION_ID_HEADER = 'x-correlation-id';

// A caller's id is kept only when it is a plain token: it goes into logs and event metadata.
const ACCEPTABLE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-correlation-id` when it is acceptable, otherwise a new UUID. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTABLE_CORRELATION_ID.test(value) ? value : randomIds();
}

import { randomUUID } from 'node:crypto';

/** Where new identifiers come from: inject {@link ID_GENERATOR}; tests give a sequence. */
export type IdGenerator = () => string;

export const ID_GENERATOR = Symbol.for('cadre.IdGenerator');

/** Random (version 4) UUIDs: the generator of every Cadre process. */
export const randomIds: IdGenerator = () => randomUUID();

/** `prefix-1`, `prefix-2`, …: repeatable identifiers for tests. */
export function sequentialIds(prefix = 'id'): IdGenerator {
  let next = 0;
  return () => `${prefix}-${++next}`;
}

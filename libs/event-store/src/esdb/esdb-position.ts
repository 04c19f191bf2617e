import type { Position as EsdbPosition } from '@eventstore/db-client';
import { InvalidPositionError } from '../event-store.errors.js';
import type { Position } from '../event-store.port.js';

/**
 * An EventStoreDB position is a pair of unsigned 64-bit log offsets. Outside the adapter it travels
 * as `"<commit>:<prepare>"` in decimal, without leading zeros, so one position has one spelling.
 */
const SHAPE = /^(0|[1-9][0-9]{0,19}):(0|[1-9][0-9]{0,19})$/;
const MAX_U64 = 2n ** 64n - 1n;

export const formatPosition = (position: EsdbPosition): Position => `${position.commit}:${position.prepare}`;

export function toEsdbPosition(position: string): EsdbPosition {
  const match = typeof position === 'string' ? SHAPE.exec(position) : null;
  if (!match) throw new InvalidPositionError(String(position));
  const commit = BigInt(match[1]);
  const prepare = BigInt(match[2]);
  if (commit > MAX_U64 || prepare > MAX_U64) throw new InvalidPositionError(position);
  return { commit, prepare };
}

/** EventStoreDB orders `$all` by commit position, then by prepare position within a commit. */
export function compareEsdbPositions(a: EsdbPosition, b: EsdbPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

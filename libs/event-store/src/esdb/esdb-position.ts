import type { Position as EsdbPosition } from '@eventstore/db-client';
import { compareLogPositions, formatLogPosition, parseLogPosition } from '../log-position.js';
import type { Position } from '../event-store.port.js';

/**
 * An EventStoreDB position is a pair of unsigned 64-bit log offsets. Outside the adapter it is
 * spelled as every position is (log-position.ts): `<commit>-<prepare>`, each part zero-padded to
 * 20 digits; the `<commit>:<prepare>` spelling of earlier versions is still read.
 */
export const formatPosition = (position: EsdbPosition): Position =>
  formatLogPosition(position.commit, position.prepare);

export function toEsdbPosition(position: string): EsdbPosition {
  const { major, minor } = parseLogPosition(position, 'esdb');
  return { commit: major, prepare: minor };
}

/** EventStoreDB orders `$all` by commit position, then by prepare position within a commit. */
export function compareEsdbPositions(a: EsdbPosition, b: EsdbPosition): number {
  return compareLogPositions({ major: a.commit, minor: a.prepare }, { major: b.commit, minor: b.prepare });
}

import { compareLogPositions, formatLogPosition, parseLogPosition } from '../log-position.js';

/**
 * A PostgreSQL position: the appending transaction's id and the row's sequence number, the
 * log's global order (see postgres-schema.ts). Spelled as every position is (log-position.ts):
 * `<txid>-<seq>`, each part zero-padded to 20 digits; the unpadded spelling of earlier versions
 * is still read.
 */
export interface PgPosition {
  readonly tx: bigint;
  readonly seq: bigint;
}

export const START: PgPosition = { tx: 0n, seq: 0n };

export const formatPosition = (tx: string | bigint, seq: string | bigint): string =>
  formatLogPosition(tx, seq);

export function parsePgPosition(position: string): PgPosition {
  const { major, minor } = parseLogPosition(position, 'postgres');
  return { tx: major, seq: minor };
}

export function comparePgPositions(a: PgPosition, b: PgPosition): number {
  return compareLogPositions({ major: a.tx, minor: a.seq }, { major: b.tx, minor: b.seq });
}

import { InvalidPositionError } from '../event-store.errors.js';

/**
 * A PostgreSQL position: the appending transaction's id and the row's sequence number, the
 * log's global order (see postgres-schema.ts). Written `<txid>-<seq>` in decimal.
 */
export interface PgPosition {
  readonly tx: bigint;
  readonly seq: bigint;
}

const FORMAT = /^(\d{1,20})-(\d{1,20})$/;
const MAX = (1n << 63n) - 1n;

export const START: PgPosition = { tx: 0n, seq: 0n };

export const formatPosition = (tx: string | bigint, seq: string | bigint): string => `${tx}-${seq}`;

export function parsePgPosition(position: string): PgPosition {
  const match = typeof position === 'string' ? FORMAT.exec(position) : null;
  if (!match) throw new InvalidPositionError(String(position));
  const tx = BigInt(match[1]);
  const seq = BigInt(match[2]);
  if (tx > MAX || seq > MAX) throw new InvalidPositionError(position);
  return { tx, seq };
}

export function comparePgPositions(a: PgPosition, b: PgPosition): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

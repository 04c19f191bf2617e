import { InvalidPositionError } from './event-store.errors.js';

/**
 * How every adapter writes a global position — the one spelling of a position, the feed cursor
 * and the CloudEvents `sequence` (the frozen v1 schemas say the sequence is the cursor). A position
 * is a pair of unsigned numbers ordered as a pair: PostgreSQL's (transaction id, sequence number),
 * EventStoreDB's (commit, prepare). Each part is written in decimal, zero-padded to 20 digits (the
 * width of 2^64 − 1, the largest part of either store), and the two parts are joined by `-`:
 * `00000000000000000992-00000000000000000055`. Fixed width, so positions of one store compare as
 * strings in log order (CloudEvents' sequence extension; a receiver may order by `sequence`).
 *
 * No version prefix: a PostgreSQL position in this form is also one in the form before it
 * (`<tx>-<seq>`, which allowed leading zeros), so a worker of the previous version still reads a
 * checkpoint written by this one.
 */
export interface LogPosition {
  /** PostgreSQL: the appending transaction's id. EventStoreDB: the commit position. */
  readonly major: bigint;
  /** PostgreSQL: the row's sequence number. EventStoreDB: the prepare position. */
  readonly minor: bigint;
}

/** Which store's position, for what else it accepts (its old spelling) and its largest part. */
export type PositionKind = 'postgres' | 'esdb';

/** Digits of each part: 2^64 − 1 has 20. */
export const POSITION_PART_DIGITS = 20;

const CURRENT = /^(\d{20})-(\d{20})$/;

/**
 * The spellings issued before this one, accepted forever (cursors kept by integrators, checkpoints,
 * dead letters): PostgreSQL `<tx>-<seq>` in decimal (leading zeros were accepted), EventStoreDB
 * `<commit>:<prepare>` in decimal without leading zeros.
 */
const LEGACY: Record<PositionKind, RegExp> = {
  postgres: /^(\d{1,20})-(\d{1,20})$/,
  esdb: /^(0|[1-9][0-9]{0,19}):(0|[1-9][0-9]{0,19})$/,
};

/** The largest part: PostgreSQL's bigint, EventStoreDB's unsigned 64-bit offsets. */
const MAX: Record<PositionKind, bigint> = {
  postgres: (1n << 63n) - 1n,
  esdb: (1n << 64n) - 1n,
};

const pad = (part: bigint | string): string => {
  const digits = String(part);
  if (!/^\d{1,20}$/.test(digits)) throw new RangeError(`not a position part: ${digits}`);
  return digits.padStart(POSITION_PART_DIGITS, '0');
};

/** The position's one spelling (see {@link LogPosition}). */
export const formatLogPosition = (major: bigint | string, minor: bigint | string): string =>
  `${pad(major)}-${pad(minor)}`;

/**
 * A position of a `kind` store, in this spelling or an old one. Throws InvalidPositionError for
 * anything else: another store's spelling, a part beyond the store's largest.
 */
export function parseLogPosition(text: string, kind: PositionKind): LogPosition {
  const match = typeof text === 'string' ? (CURRENT.exec(text) ?? LEGACY[kind].exec(text)) : null;
  if (!match) throw new InvalidPositionError(String(text));
  const major = BigInt(match[1]);
  const minor = BigInt(match[2]);
  if (major > MAX[kind] || minor > MAX[kind]) throw new InvalidPositionError(text);
  return { major, minor };
}

/** Pair order: by the major part, then the minor one (the same order as the spellings'). */
export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  return 0;
}

import { describe, expect, it } from '@jest/globals';
import { InvalidPositionError } from './event-store.errors.js';
import {
  compareLogPositions,
  formatLogPosition,
  parseLogPosition,
  type LogPosition,
  type PositionKind,
} from './log-position.js';

const MAX: Record<PositionKind, bigint> = { postgres: (1n << 63n) - 1n, esdb: (1n << 64n) - 1n };

/**
 * 10,000 positions in log order: parts that cross every digit count (1 … 20 digits), runs within
 * one major part (events of one transaction or one commit), and the largest parts a store issues.
 */
function positionsInLogOrder(kind: PositionKind): LogPosition[] {
  const positions: LogPosition[] = [];
  let seed = 0x2545f491;
  const random = (): bigint => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return BigInt(seed);
  };
  let major = 0n;
  let minor = 0n;
  while (positions.length < 9_988) {
    // Jumps from 1 to ~10^(digits) so that both parts pass through every width.
    const digits = BigInt(positions.length % 19);
    major += 1n + (random() % 10n ** digits);
    if (major > MAX[kind] / 2n) major = MAX[kind] / 2n + BigInt(positions.length);
    for (let i = 0; i < 4; i += 1) {
      minor += 1n + (random() % 10n ** BigInt(i * 4));
      positions.push({ major, minor });
    }
  }
  for (let i = 11n; i >= 0n; i -= 1n) positions.push({ major: MAX[kind], minor: MAX[kind] - i });
  return positions;
}

describe('the spelling of a log position', () => {
  for (const kind of ['postgres', 'esdb'] as const) {
    it(`${kind}: 10,000 positions sort as strings in log order, one width, and read back to themselves`, () => {
      const positions = positionsInLogOrder(kind);
      expect(positions).toHaveLength(10_000);
      for (let i = 1; i < positions.length; i += 1) {
        expect(compareLogPositions(positions[i - 1], positions[i])).toBeLessThan(0);
      }
      const spelled = positions.map((p) => formatLogPosition(p.major, p.minor));
      expect(new Set(spelled.map((s) => s.length))).toEqual(new Set([41]));
      // Shuffled, then sorted as plain strings (code-unit order, as a receiver would): log order again.
      const shuffled = [...spelled];
      for (let i = shuffled.length - 1; i > 0; i -= 1) {
        const j = (i * 7919) % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      expect(shuffled).not.toEqual(spelled);
      expect(shuffled.sort()).toEqual(spelled);
      for (let i = 0; i < positions.length; i += 97) {
        expect(parseLogPosition(spelled[i], kind)).toEqual(positions[i]);
      }
    });
  }

  it('spells the largest parts of either store in the same width', () => {
    expect(formatLogPosition(MAX.esdb, 0n)).toBe('18446744073709551615-00000000000000000000');
    expect(formatLogPosition(992n, 55n)).toBe('00000000000000000992-00000000000000000055');
    expect(formatLogPosition('1019', '60')).toBe('00000000000000001019-00000000000000000060');
  });

  it('reads the spellings of earlier versions forever, each store its own', () => {
    expect(parseLogPosition('992-55', 'postgres')).toEqual({ major: 992n, minor: 55n });
    expect(parseLogPosition('0992-055', 'postgres')).toEqual({ major: 992n, minor: 55n });
    expect(parseLogPosition('18446744073709551615:0', 'esdb')).toEqual({ major: MAX.esdb, minor: 0n });
    expect(parseLogPosition('1234:1200', 'esdb')).toEqual({ major: 1234n, minor: 1200n });
  });

  it('refuses what no store issued, another store’s old spelling, and parts beyond the store’s largest', () => {
    const refused: [string, PositionKind][] = [
      ['', 'postgres'],
      ['yesterday', 'postgres'],
      ['1:2', 'postgres'],
      ['9223372036854775808-0', 'postgres'],
      ['-1-0', 'postgres'],
      ['1-2', 'esdb'],
      ['01:1', 'esdb'],
      ['1:2:3', 'esdb'],
      ['18446744073709551616:0', 'esdb'],
      ['18446744073709551616-00000000000000000000', 'esdb'],
      ['000000000000000000001-00000000000000000000', 'esdb'],
    ];
    for (const [text, kind] of refused) {
      expect(() => parseLogPosition(text, kind)).toThrow(InvalidPositionError);
    }
  });
});

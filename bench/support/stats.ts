/** Small statistics shared by every benchmark. */

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** The p-th percentile (0–100) by linear interpolation between the nearest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const s = sorted(values);
  const rank = (p / 100) * (s.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return s[low] + (s[high] - s[low]) * (rank - low);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Rounds to `digits` significant digits (figures drift by more than that from run to run). */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** (digits - 1 - magnitude);
  return factor >= 1 ? Math.round(value * factor) / factor : Math.round(value);
}

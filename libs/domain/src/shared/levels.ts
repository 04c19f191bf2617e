/** Certification levels, in ascending order: a requirement is met at or above its level. */
export const LEVELS = ['awareness', 'specialised', 'expert', 'trainer'] as const;

export type Level = (typeof LEVELS)[number];

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** True when `held` is at or above `required`. */
export function meetsLevel(held: Level, required: Level): boolean {
  return levelRank(held) >= levelRank(required);
}

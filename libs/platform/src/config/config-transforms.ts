/** The environment's strings turned into what AppConfig validates (class-transformer transforms). */

export const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

export const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  if (/^(true|1|yes|on)$/i.test(value)) return true;
  if (/^(false|0|no|off)$/i.test(value)) return false;
  return value;
};

export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `5m`, `2h`, `5d`, `250ms` → milliseconds; anything else is left for the validator to refuse. */
export const toDuration = ({ value }: { value: unknown }): unknown => {
  const match = typeof value === 'string' ? /^(\d+)(ms|s|m|h|d)$/.exec(value.trim()) : null;
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : value;
};

/** `0s,5s,5m` → milliseconds each; a list with anything else is left as it was, for the validator. */
export const toDurationList = ({ value }: { value: unknown }): unknown => {
  const items = toList({ value });
  if (!Array.isArray(items) || items.length === 0) return value;
  const delays = items.map((item: unknown) => toDuration({ value: item }));
  return delays.every((ms) => typeof ms === 'number') ? delays : value;
};

export const KEK = /^[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]{43}=$/;
export const KEK_LIST =
  /^\s*[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]{43}=\s*(,\s*[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]{43}=\s*)*$/;

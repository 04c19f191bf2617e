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

export const KEK = /^[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]{43}=$/;
export const KEK_LIST =
  /^\s*[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]{43}=\s*(,\s*[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]{43}=\s*)*$/;

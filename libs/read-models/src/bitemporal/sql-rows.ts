import { createHash } from 'node:crypto';
import { storableJson } from '@cadre/kernel';
import type { ProjectionTransaction } from '@cadre/subscriptions';

/** A column of a multi-row insert: its name and the PostgreSQL type its array is cast to. */
export interface Column {
  readonly name: string;
  readonly type: 'text' | 'uuid' | 'timestamptz' | 'int' | 'bigint' | 'jsonb' | 'boolean' | 'text[]';
}

/**
 * One statement for many rows: `INSERT … SELECT * FROM unnest($1::text[], …)`. A `text[]` column
 * travels as JSON (unnest would flatten a two-dimensional array) and a `jsonb` one as text, made
 * storable (`storableJson`: text recorded before the plain-text rule may hold a NUL); the
 * transaction makes the other text parameters storable.
 */
export async function insertRows(
  tx: ProjectionTransaction,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  onConflict = 'ON CONFLICT DO NOTHING',
): Promise<void> {
  if (rows.length === 0) return;
  const params = columns.map((column, i) =>
    rows.map((row) => {
      const value = row[i];
      if (value === null || value === undefined) return null;
      return column.type === 'jsonb' || column.type === 'text[]'
        ? storableJson(JSON.stringify(value))
        : value;
    }),
  );
  const selected = columns.map((column, i) => {
    if (column.type === 'jsonb') return `u.c${i}::jsonb`;
    if (column.type === 'text[]') return `ARRAY(SELECT jsonb_array_elements_text(u.c${i}::jsonb))::text[]`;
    return `u.c${i}`;
  });
  const arrays = columns.map((column, i) => {
    const type = column.type === 'jsonb' || column.type === 'text[]' ? 'text' : column.type;
    return `$${i + 1}::${type}[]`;
  });
  await tx.query(
    `INSERT INTO ${tx.schema}.${table} (${columns.map((c) => c.name).join(', ')})
     SELECT ${selected.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})
     ${onConflict}`,
    params,
  );
}

/**
 * The `onConflict` of {@link insertRows} for a current-state table: the row with key `key` is
 * replaced in place (every other column set from the new row).
 */
export const onConflictUpdate = (key: string, columns: readonly Column[]): string =>
  `ON CONFLICT (${key}) DO UPDATE SET ${columns
    .filter((column) => column.name !== key)
    .map((column) => `${column.name} = EXCLUDED.${column.name}`)
    .join(', ')}`;

/**
 * One statement setting one scalar column for many keys: `UPDATE … FROM unnest($1, $2)`, the value
 * of each key in `values`.
 */
export async function updateByKey(
  tx: ProjectionTransaction,
  table: string,
  key: Column,
  column: Column,
  values: ReadonlyMap<string, unknown>,
): Promise<void> {
  if (values.size === 0) return;
  await tx.query(
    `UPDATE ${tx.schema}.${table} t SET ${column.name} = u.v
       FROM unnest($1::${key.type}[], $2::${column.type}[]) AS u(k, v) WHERE t.${key.name} = u.k`,
    [[...values.keys()], [...values.values()]],
  );
}

/**
 * RFC 8785 canonical JSON, as `canonicalize` of json-canonicalize (filterUndefined,
 * undefinedInArrayToNull) writes it, character for character (a property test holds them
 * together), without its bookkeeping for circular references, which JSON values never have:
 * fingerprints are computed for every row of every version, and the library's serializer was
 * a tenth of a rebuild.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object' || (value as { toJSON?: unknown }).toJSON != null) {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error(`Non-finite number (${value}) is not permitted in JSON (RFC 8785 §3.2.2.3)`);
    return String(JSON.stringify(value));
  }
  if (Array.isArray(value)) {
    let text = '[';
    let next = false;
    for (let i = 0; i < value.length; i += 1) {
      if (!(i in value)) continue;
      if (next) text += ',';
      next = true;
      const element: unknown = value[i];
      text += canonicalJson(element === undefined ? null : element);
    }
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  let text = '{';
  for (let i = 0; i < keys.length; i += 1) {
    if (i > 0) text += ',';
    text += `${JSON.stringify(keys[i])}:${canonicalJson(object[keys[i]!])}`;
  }
  return `${text}}`;
}

/** Digests of recent contents: an entity's unchanged rows are fingerprinted again at every version. */
const recentDigests = new Map<string, string>();
const RECENT_DIGESTS = 100_000;

/**
 * A short, stable identity of a row's content (its interval and values): what the bitemporal
 * engines compare believed rows by, stored in their `fingerprint` column. The JSON is canonical
 * (RFC 8785, keys sorted): a value read back from a `jsonb` column has its keys in PostgreSQL's
 * order, and must fingerprint as it did when it came from the event.
 */
export const digest = (value: unknown): string => {
  const text = canonicalJson(value);
  let print = recentDigests.get(text);
  if (print === undefined) {
    // Storable: a value with a NUL read back from jsonb (U+FFFD) is the same row as the event's.
    print = createHash('sha1').update(storableJson(text)).digest('base64url');
    if (recentDigests.size >= RECENT_DIGESTS) recentDigests.clear();
    recentDigests.set(text, print);
  }
  return print;
};

/**
 * The storable JSON (`storableJson`) of objects written more than once (a rebuild's facts, shared
 * by several read models).
 */
const jsonOf = new WeakMap<object, string>();
const jsonText = (value: unknown): string => {
  if (typeof value !== 'object' || value === null) return storableJson(JSON.stringify(value));
  let text = jsonOf.get(value);
  if (text === undefined) {
    text = storableJson(JSON.stringify(value));
    jsonOf.set(value, text);
  }
  return text;
};

/**
 * One value in COPY's text format: `\N` for null, backslash escapes for the rest. A NUL or a lone
 * surrogate in text is left to the transaction's `copy`, which makes every line storable.
 */
function copyValue(column: Column, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  switch (column.type) {
    case 'jsonb':
      text = jsonText(value);
      break;
    case 'text[]':
      text = `{${(value as readonly unknown[])
        .map((element) =>
          element === null || element === undefined
            ? 'NULL'
            : `"${String(element).replace(/[\\"]/g, (c) => `\\${c}`)}"`,
        )
        .join(',')}}`;
      break;
    case 'timestamptz':
      text = value instanceof Date ? value.toISOString() : String(value);
      break;
    case 'boolean':
      text = value ? 't' : 'f';
      break;
    default:
      text = String(value);
  }
  return /[\\\n\r\t]/.test(text)
    ? text.replace(/[\\\n\r\t]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
      )
    : text;
}

/** Rows as COPY text-format lines, a chunk of them at a time. */
function* copyLines(columns: readonly Column[], rows: Iterable<readonly unknown[]>): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i += 1) {
      if (i > 0) line += '\t';
      line += copyValue(columns[i]!, row[i]);
    }
    chunk += `${line}\n`;
    if (chunk.length >= 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Loads many rows at once: `COPY … FROM STDIN` where the transaction can (`tx.copy`), otherwise
 * multi-row INSERTs of {@link insertRows} (`onConflict` applies only to those).
 */
export async function copyRows(
  tx: ProjectionTransaction,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  onConflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  if (tx.copy) {
    await tx.copy(
      table,
      columns.map((c) => c.name),
      copyLines(columns, rows),
    );
    return;
  }
  for (let i = 0; i < rows.length; i += 10_000)
    await insertRows(tx, table, columns, rows.slice(i, i + 10_000), onConflict);
}

/** Columns, in the order written: `columnsOf({ staff_id: 'text', since: 'timestamptz' })`. */
export const columnsOf = (types: Readonly<Record<string, Column['type']>>): Column[] =>
  Object.entries(types).map(([name, type]) => ({ name, type }));

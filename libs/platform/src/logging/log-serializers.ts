/**
 * What a log line may say about a request and an error. Logs outlive an erasure (they are shipped
 * elsewhere and kept), so they must never carry a value a caller sent: a search term names a
 * person. Query strings are cut from URLs, and an error keeps only fields that name no value —
 * TypeORM's QueryFailedError carries the statement's `parameters`, and PostgreSQL's errors quote
 * values in `detail` ("Key (employee_ref)=(…) already exists"), `where` and some messages
 * ('invalid input syntax for type uuid: "…"').
 */

/** `/v1/staff?q=Zuzana` → `/v1/staff?…`: a path followed by a query string loses the query. */
export function withoutQueryValues(text: string): string {
  return text.replace(/((?:^|[\s"'(:=])\/[^\s?#"'()]*)\?[^\s"'()#]*/g, '$1?…');
}

// Fields of an error that name things (a code, a constraint, a table), never a value.
const NAMING_FIELDS = [
  'code',
  'status',
  'statusCode',
  'category',
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'errno',
  'syscall',
] as const;

const MAX_CAUSES = 3;

/** An error as a log line shows it: its type, message, stack and naming fields, with no value. */
export function errorForLog(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error) && (typeof error !== 'object' || error === null)) {
    return { type: typeof error, message: withoutQueryValues(String(error)) };
  }
  const source = error as Error & Record<string, unknown>;
  // TypeORM wraps the driver's error: the naming fields are on the driver's.
  const driver = isRecord(source.driverError) ? source.driverError : {};
  const database = isDatabaseError(source) || isDatabaseError(driver);
  const scrub = (text: string): string => {
    const cut = withoutQueryValues(text);
    // PostgreSQL quotes the offending value in double quotes; names are kept in their own fields.
    return database ? cut.replace(/"(?:[^"]|"")*"/g, '"…"') : cut;
  };
  const fields: Record<string, unknown> = {
    type: source.constructor?.name ?? 'Object',
    message: scrub(typeof source.message === 'string' ? source.message : ''),
  };
  if (typeof source.stack === 'string') {
    const frames = source.stack.split('\n').filter((line) => /^\s+at /.test(line));
    fields.stack = [`${String(fields.type)}: ${String(fields.message)}`, ...frames.map(scrub)].join('\n');
  }
  for (const name of NAMING_FIELDS) {
    const value = source[name] ?? driver[name];
    if (typeof value === 'string' || typeof value === 'number') fields[name] = value;
  }
  if (source.cause !== undefined && depth < MAX_CAUSES) fields.cause = errorForLog(source.cause, depth + 1);
  return fields;
}

/** A request as a log line shows it: method and path, no query string, no headers, no body. */
export function requestForLog(request: unknown): Record<string, unknown> {
  if (!isRecord(request)) return {};
  const url = typeof request.url === 'string' ? request.url.split('?')[0] : undefined;
  return {
    ...(typeof request.method === 'string' ? { method: request.method } : {}),
    ...(url !== undefined ? { url } : {}),
  };
}

/** A reply as a log line shows it: its status. */
export function replyForLog(reply: unknown): Record<string, unknown> {
  return isRecord(reply) && typeof reply.statusCode === 'number' ? { statusCode: reply.statusCode } : {};
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

// node-postgres' DatabaseError: a five-character SQLSTATE and a severity.
const isDatabaseError = (value: Record<string, unknown>): boolean =>
  typeof value.code === 'string' && /^[0-9A-Z]{5}$/.test(value.code) && typeof value.severity === 'string';

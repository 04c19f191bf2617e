import fc from 'fast-check';

/**
 * Test-only: fast-check arbitraries of requests from an OpenAPI 3 document, for the schema-driven
 * fuzz (test/api/schema-fuzz.e2e-spec.ts). A request is valid-ish (values drawn from each schema:
 * its enum, example, pattern, format, bounds; required members always, optional ones sometimes)
 * or a mutation of one: a value replaced by one of {@link WEIRD_VALUES}, a required member
 * removed, an unknown member added, or the whole body replaced by something that is not a
 * command at all (null, an array, a body nested 2,000 deep, text that is not JSON).
 */

export type Schema = Readonly<Record<string, unknown>>;

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
}

export interface Operation {
  readonly method: string;
  /** The path template, `/v1/staff/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly parameters: readonly Parameter[];
  readonly body?: Schema;
  /** `x-cadre-roles`: empty for a public route. */
  readonly roles: readonly string[];
  readonly produces: readonly string[];
}

export interface FuzzRequest {
  readonly method: string;
  /** Already percent-encoded (lone surrogates as the bytes of their CESU-8 form). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent, when there is one (JSON text, or text that is not JSON). */
  readonly body?: string;
  /** What was generated, for the failure message. */
  readonly described: string;
}

/** Values of parameters and members by name, so that valid-ish requests reach past a 404. */
export type Hints = Readonly<Record<string, readonly string[]>>;

export interface ArbitraryOptions {
  /** Values that valid-ish requests mix with generated ones, by parameter or member name. */
  readonly hints: Hints;
  /**
   * Query parameters whose valid-ish values are only these (mutations still change them): a
   * long-poll's `wait`, `minPosition` (a valid future one waits 5 s and answers 503, by design).
   */
  readonly pinned: Hints;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the document, with its parameters and body schema ($ref left to resolve). */
export function operationsOf(document: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const content = (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content;
      const produces = Object.values((operation.responses ?? {}) as Record<string, Schema>).flatMap(
        (response) => Object.keys((response.content ?? {}) as object),
      );
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: String(operation.operationId),
        parameters: (operation.parameters ?? []) as Parameter[],
        body: content?.['application/json']?.schema,
        roles: (operation['x-cadre-roles'] as string[] | undefined) ?? [],
        produces,
      });
    }
  }
  return operations;
}

/** Values that are wrong somewhere: types, NUL, lone surrogates, control characters, sizes. */
export const WEIRD_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1e308,
  1.5,
  true,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\u001b[31m',
  'line\r\nline',
  'Durre\u0308s',
  '\u202e\u200b',
  '../../etc/passwd',
  "' OR 1=1 --",
  '%00',
  '__proto__',
  'x'.repeat(300),
  'é'.repeat(5000),
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '2026-02-30',
  '-1',
  '1e400',
  [],
  [null],
  ['\u0000'],
  {},
  { __proto__: null, constructor: { prototype: 1 } },
  { nested: { deeper: [1, 'two', { three: null }] } },
];

/** Values of a path or query parameter that are wrong: the text rule, lengths, encodings. */
export const WEIRD_PARAMETERS: readonly string[] = [
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\u001b',
  '\r\n',
  'Durre\u0308s',
  '..',
  '%',
  '%zz',
  '-1',
  '0',
  '99999999999999999999',
  'x'.repeat(101),
  'x'.repeat(3000),
  'Ђорђе Шкодër',
  '<script>',
  "'; DROP TABLE x; --",
  '1-2-3',
  '00000000-0000-0000-0000-000000000000',
];

/**
 * Percent-encodes `text` for a path segment or a query value, like `encodeURIComponent`, except
 * that a lone surrogate (which `encodeURIComponent` refuses) is sent as its 3 bytes (CESU-8):
 * what a client that does not check its strings would send.
 */
export function percentEncode(text: string): string {
  let encoded = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      encoded += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      encoded += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      encoded += encodeURIComponent(text[i]);
    }
  }
  return encoded;
}

/** Builds arbitraries from the schemas of one document (its `components.schemas` for `$ref`). */
export class RequestArbitraries {
  private readonly schemas: Record<string, Schema>;

  private readonly hints: Hints;
  private readonly pinned: Hints;

  constructor(document: Schema, options: ArbitraryOptions) {
    this.hints = options.hints;
    this.pinned = options.pinned;
    this.schemas = ((document.components as { schemas?: Record<string, Schema> } | undefined)?.schemas ??
      {}) as Record<string, Schema>;
  }

  /** Valid-ish requests and mutations of them, about half each. */
  request(operation: Operation, headers: Record<string, string>): fc.Arbitrary<FuzzRequest> {
    const parts = fc.record({
      path: this.parameters(operation, 'path'),
      query: this.parameters(operation, 'query'),
      header: this.parameters(operation, 'header'),
      body: operation.body ? this.value(operation.body, 0) : fc.constant(undefined),
    });
    const mutated = fc
      .tuple(parts, this.mutation(operation))
      .map(([request, mutate]) => mutate(request as Parts));
    return fc
      .oneof({ weight: 1, arbitrary: parts }, { weight: 1, arbitrary: mutated })
      .map((request) => toRequest(operation, request as Parts, headers));
  }

  /** `{ name: value }` of the parameters `in`: required ones always, optional ones sometimes. */
  private parameters(operation: Operation, location: Parameter['in']): fc.Arbitrary<Record<string, unknown>> {
    const wanted = operation.parameters.filter((parameter) => parameter.in === location);
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const parameter of wanted) model[parameter.name] = this.parameterValue(parameter);
    const requiredKeys = wanted
      .filter((parameter) => parameter.required || location === 'path')
      .map((parameter) => parameter.name);
    return fc.record(model, { requiredKeys });
  }

  private parameterValue(parameter: Parameter): fc.Arbitrary<unknown> {
    const pinned = this.pinned[parameter.name];
    if (pinned && parameter.in === 'query') return fc.constantFrom(...pinned);
    const hinted = this.hints[parameter.name];
    const fromSchema = this.value(parameter.schema ?? { type: 'string' }, 0).map(String);
    if (parameter.in === 'header') {
      // Header values a client can send at all (no control characters), from the pattern.
      return fromSchema.filter((value) => /^[\x20-\x7e]*$/.test(value));
    }
    return hinted && hinted.length > 0
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hinted) }, { weight: 1, arbitrary: fromSchema })
      : fromSchema;
  }

  /** A value of `schema`, valid-ish. */
  value(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    if (Array.isArray(resolved.allOf)) {
      const merged = (resolved.allOf as Schema[]).reduce<Schema>(
        (all, part) => ({ ...all, ...this.resolve(part) }),
        {},
      );
      return this.value({ ...merged, ...withoutKey(resolved, 'allOf') }, depth);
    }
    const options: fc.Arbitrary<unknown>[] = [];
    if (Array.isArray(resolved.enum) && resolved.enum.length > 0) return fc.constantFrom(...resolved.enum);
    if (resolved.example !== undefined) options.push(fc.constant(resolved.example));
    options.push(this.typed(resolved, depth));
    const value = options.length === 1 ? options[0] : fc.oneof(...options);
    return resolved.nullable ? fc.option(value, { nil: null, freq: 10 }) : value;
  }

  private typed(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string');
    switch (type) {
      case 'integer':
        return this.integer(schema);
      case 'number':
        return fc.oneof(
          this.integer(schema),
          fc.double({ min: num(schema.minimum, -1e6), max: num(schema.maximum, 1e6), noNaN: true }),
        );
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const items = (schema.items as Schema | undefined) ?? { type: 'string' };
        const minLength = num(schema.minItems, 0);
        return fc.array(this.value(items, depth + 1), {
          minLength,
          maxLength: Math.max(minLength, Math.min(num(schema.maxItems, 3), 3)),
        });
      }
      case 'object':
        return this.object(schema, depth);
      default:
        return this.string(schema);
    }
  }

  private integer(schema: Schema): fc.Arbitrary<number> {
    return fc.integer({
      min: Math.ceil(num(schema.minimum, -1000)),
      max: Math.floor(num(schema.maximum, 100_000)),
    });
  }

  private object(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = (schema.required ?? []) as string[];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, property] of Object.entries(properties)) {
      const hinted = this.hints[name];
      const value = this.value(property, depth + 1);
      model[name] =
        hinted && hinted.length > 0 && this.resolve(property).type !== 'array'
          ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...hinted) }, { weight: 1, arbitrary: value })
          : value;
    }
    if (depth > 6) return fc.constant({});
    return fc.record(model, { requiredKeys: required.filter((name) => name in model) });
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const minLength = num(schema.minLength, 0);
    const maxLength = Math.max(minLength, Math.min(num(schema.maxLength, 40), 40));
    switch (schema.format) {
      case 'uuid':
        return fc.uuid();
      case 'uri':
        // Only ever this machine, on a port nothing listens on: no delivery leaves it.
        return fc.constantFrom('http://127.0.0.1:9/hook', 'https://127.0.0.1:9/cadre', 'ftp://127.0.0.1/x');
      case 'date-time':
        return fc
          .date({
            min: new Date('1990-01-01T00:00:00Z'),
            max: new Date('2035-12-31T23:59:59Z'),
            noInvalidDate: true,
          })
          .map((date) => date.toISOString());
      case 'date':
        return fc
          .date({
            min: new Date('1990-01-01T00:00:00Z'),
            max: new Date('2035-12-31T23:59:59Z'),
            noInvalidDate: true,
          })
          .map((date) => date.toISOString().slice(0, 10));
      default:
        break;
    }
    if (typeof schema.pattern === 'string') {
      let pattern: RegExp | null = null;
      try {
        pattern = new RegExp(schema.pattern);
      } catch {
        pattern = null;
      }
      if (pattern) {
        return fc
          .stringMatching(pattern)
          .filter((value) => value.length >= minLength && value.length <= Math.max(maxLength, 255));
      }
    }
    return fc.string({ minLength, maxLength, unit: 'grapheme' });
  }

  /** One of the mutations, to apply to a generated request. */
  private mutation(operation: Operation): fc.Arbitrary<(request: Parts) => Parts> {
    const weird = fc.constantFrom(...WEIRD_VALUES);
    const weirdParameter = fc.oneof(
      fc.constantFrom(...WEIRD_PARAMETERS),
      fc.string({ maxLength: 20, unit: 'binary' }),
    );
    const choices: fc.Arbitrary<(request: Parts) => Parts>[] = [];
    const parameterNames = (location: Parameter['in']) =>
      operation.parameters
        .filter((parameter) => parameter.in === location)
        .map((parameter) => parameter.name);
    for (const location of ['path', 'query'] as const) {
      const names = parameterNames(location);
      const key = location === 'path' ? 'path' : 'query';
      if (names.length > 0) {
        choices.push(
          fc.tuple(fc.constantFrom(...names), weirdParameter).map(([name, value]) => (request: Parts) => ({
            ...request,
            [key]: { ...request[key], [name]: value },
          })),
        );
      }
    }
    // A query parameter the route does not declare, with a name or a value that is wrong.
    choices.push(
      fc
        .tuple(fc.constantFrom('unknown', 'a\u0000b', 'q\ud800', 'x'.repeat(300), 'limit'), weirdParameter)
        .map(([name, value]) => (request: Parts) => ({
          ...request,
          query: { ...request.query, [name]: value },
        })),
    );
    if (operation.body) {
      choices.push(
        fc.tuple(fc.nat(), weird).map(([at, value]) => (request: Parts) => ({
          ...request,
          body: replaceAt(request.body, at, value),
        })),
        fc.nat().map((at) => (request: Parts) => ({ ...request, body: removeAt(request.body, at) })),
        fc
          .tuple(fc.nat(), fc.constantFrom('unknown', 'a\u0000', '\ud800', '__proto__', 'constructor'), weird)
          .map(([at, name, value]) => (request: Parts) => ({
            ...request,
            body: addAt(request.body, at, name, value),
          })),
        fc
          .constantFrom<RawBody>(
            { raw: 'null' },
            { raw: '[]' },
            { raw: '"text"' },
            { raw: '42' },
            { raw: '{' },
            { raw: '{"a":1,}' },
            { raw: '' },
            { raw: `${'['.repeat(2000)}${']'.repeat(2000)}` },
            { raw: `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}` },
            { raw: '{"__proto__":{"polluted":true}}' },
            { raw: '{"constructor":{"prototype":{"polluted":true}}}' },
          )
          .map((raw) => (request: Parts) => ({ ...request, body: raw })),
      );
    }
    return fc.oneof(...choices);
  }

  private resolve(schema: Schema): Schema {
    let current = schema;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops += 1) {
      const name = current.$ref.replace('#/components/schemas/', '');
      const target = this.schemas[name];
      if (!target) throw new Error(`OpenAPI: ${current.$ref} is not in components.schemas`);
      current = { ...target, ...withoutKey(current, '$ref') };
    }
    return current;
  }
}

interface RawBody {
  readonly raw: string;
}

interface Parts {
  readonly path: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly header: Record<string, unknown>;
  readonly body?: unknown;
}

function toRequest(operation: Operation, parts: Parts, headers: Record<string, string>): FuzzRequest {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    percentEncode(String(parts.path[name] ?? '')),
  );
  const query = Object.entries(parts.query)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(String(value))}`)
    .join('&');
  const sent: Record<string, string> = { ...headers };
  for (const [name, value] of Object.entries(parts.header)) {
    if (value !== undefined) sent[name.toLowerCase()] = String(value);
  }
  let body: string | undefined;
  if (parts.body !== undefined) {
    const raw = parts.body as Partial<RawBody>;
    body =
      typeof raw === 'object' && raw !== null && typeof raw.raw === 'string' && Object.keys(raw).length === 1
        ? raw.raw
        : JSON.stringify(parts.body);
    sent['content-type'] = 'application/json';
  }
  const url = query ? `${path}?${query}` : path;
  const described = `${operation.method} ${url} ${JSON.stringify(withoutKey(sent, 'authorization'))} ${
    body === undefined ? '' : body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body
  }`;
  return { method: operation.method, url, headers: sent, body, described };
}

const num = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

function withoutKey<T extends object>(value: T, key: string): T {
  const copy = { ...value } as Record<string, unknown>;
  delete copy[key];
  return copy as T;
}

/** Every place in `value` (the value itself, each member and element), depth-first. */
function places(value: unknown): { parent: object | null; key: string | number | null }[] {
  const found: { parent: object | null; key: string | number | null }[] = [{ parent: null, key: null }];
  const visit = (current: unknown) => {
    if (current === null || typeof current !== 'object') return;
    for (const [key, member] of Object.entries(current)) {
      found.push({ parent: current, key: Array.isArray(current) ? Number(key) : key });
      visit(member);
    }
  };
  visit(value);
  return found;
}

const copy = (value: unknown): unknown =>
  value === undefined ? undefined : JSON.parse(JSON.stringify(value));

function replaceAt(body: unknown, at: number, replacement: unknown): unknown {
  const copied = copy(body);
  const all = places(copied);
  const { parent, key } = all[at % all.length];
  if (parent === null || key === null) return replacement;
  (parent as Record<string | number, unknown>)[key] = replacement;
  return copied;
}

function removeAt(body: unknown, at: number): unknown {
  const copied = copy(body);
  const members = places(copied).filter((place) => place.parent !== null);
  if (members.length === 0) return copied;
  const { parent, key } = members[at % members.length];
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<string, unknown>)[key as string];
  return copied;
}

function addAt(body: unknown, at: number, name: string, value: unknown): unknown {
  const copied = copy(body);
  const objects = [
    copied,
    ...places(copied).map(({ parent, key }) =>
      parent && key !== null ? (parent as Record<string | number, unknown>)[key] : undefined,
    ),
  ].filter(
    (candidate): candidate is Record<string, unknown> =>
      candidate !== null && typeof candidate === 'object' && !Array.isArray(candidate),
  );
  if (objects.length === 0) return copied;
  Object.defineProperty(objects[at % objects.length], name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copied;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// Read by global-teardown.ts as CommonJS, outside Jest's module mapper: this file imports no
// other file of the project at run time (observations.ts imports these names from here).
export const CONTRACT_DIR_ENV = 'CADRE_CONTRACT_DIR';
export const DOCUMENT_FILE = 'openapi.json';
export const OBSERVATIONS_PREFIX = 'observations-';

/** One response the e2e suite saw, as the contract check reads it. */
export interface Observation {
  readonly method: string;
  /** Fastify's route pattern (`/v1/teams/:id`). */
  readonly route: string;
  readonly status: number;
  readonly contentType: string | null;
  /** The body as sent; null when it was streamed (CSV, server-sent events). */
  readonly body: string | null;
  /** The app had test-only routes (`extraModules`): its own routes are not in the document. */
  readonly testRoutes: boolean;
  readonly testPath: string | null;
}

type Json = Record<string, unknown>;
const COMPONENTS_ID = 'cadre-openapi-components';

/**
 * OpenAPI 3.0 schema objects as JSON Schema for ajv: `nullable` becomes a `null` type (or an
 * `anyOf` with null), component references point into the components schema, OpenAPI-only
 * keywords (example, xml, discriminator, x-…) are ignored (ajv's non-strict mode).
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', `${COMPONENTS_ID}#/definitions/`);
    } else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (source.nullable !== true) return out;
  if (typeof out.type === 'string' && out.$ref === undefined) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

/** Validators of the document's response schemas, compiled once each. */
export class ResponseValidators {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.ajv);
    const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Json;
    this.ajv.addSchema({ $id: COMPONENTS_ID, definitions: toJsonSchema(schemas) });
  }

  /** The errors of `body` against `schema` (under `key`, its place in the document), or none. */
  errors(key: string, schema: unknown, body: unknown): string[] {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Json);
      this.cache.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`,
    );
  }
}

interface Operation {
  readonly responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/**
 * Operations the e2e suite may leave unobserved, each with why. Keep it empty if you can: a small
 * request in an e2e file is better than an entry here.
 */
export const UNOBSERVED_OPERATIONS: Readonly<Record<string, string>> = {};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const pathOf = (route: string): string => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const mediaType = (contentType: string | null): string =>
  (contentType ?? '').split(';')[0].trim().toLowerCase();
const isJson = (type: string): boolean => type === 'application/json' || type.endsWith('+json');

/**
 * The check of issue 11 item 5, after the e2e run: every response observed validates against the
 * document (a documented status, a documented media type, the body against its schema — problem
 * documents against the problem schema with the codes of that status), and, when the whole layer
 * ran (`coverage`), every operation was observed at least once. Returns the failures, one line each.
 */
export function checkContract(dir: string, coverage: boolean): string[] {
  if (!existsSync(join(dir, DOCUMENT_FILE))) return coverage ? ['No OpenAPI document was recorded.'] : [];
  const document = JSON.parse(readFileSync(join(dir, DOCUMENT_FILE), 'utf8')) as Json;
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const validators = new ResponseValidators(document);
  const failures = new Map<string, { count: number; testPath: string | null }>();
  const fail = (line: string, testPath: string | null) => {
    const seen = failures.get(line);
    failures.set(line, { count: (seen?.count ?? 0) + 1, testPath: seen?.testPath ?? testPath });
  };
  const observed = new Set<string>();
  const files = readdirSync(dir).filter((f) => f.startsWith(OBSERVATIONS_PREFIX));
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
      const seen = JSON.parse(line) as Observation;
      const path = pathOf(seen.route);
      const operation = paths[path]?.[seen.method.toLowerCase()];
      const name = `${seen.method} ${path}`;
      if (!operation) {
        if (!seen.testRoutes)
          fail(`${name}: answered ${seen.status} but is not in the document`, seen.testPath);
        continue;
      }
      observed.add(name);
      const response = operation.responses[String(seen.status)] ?? operation.responses.default;
      if (!response) {
        fail(`${name}: answered ${seen.status}, which it does not document`, seen.testPath);
        continue;
      }
      const type = mediaType(seen.contentType);
      if (!response.content || seen.body === '') {
        if (response.content && Object.keys(response.content).length > 0 && seen.status !== 304)
          fail(
            `${name} ${seen.status}: answered no body, the document declares ${Object.keys(response.content).join(', ')}`,
            seen.testPath,
          );
        else if (!response.content && seen.body)
          fail(
            `${name} ${seen.status}: answered a body (${type}), the document declares none`,
            seen.testPath,
          );
        continue;
      }
      const media = response.content[type];
      if (!media) {
        fail(
          `${name} ${seen.status}: answered ${type || 'no content type'}, the document declares ${Object.keys(response.content).join(', ')}`,
          seen.testPath,
        );
        continue;
      }
      if (!isJson(type) || seen.body === null || media.schema === undefined) continue;
      let body: unknown;
      try {
        body = JSON.parse(seen.body);
      } catch {
        fail(`${name} ${seen.status}: the ${type} body is not JSON`, seen.testPath);
        continue;
      }
      for (const error of validators.errors(`${name} ${seen.status} ${type}`, media.schema, body)) {
        fail(`${name} ${seen.status}: ${error}`, seen.testPath);
      }
    }
  }
  const lines = [...failures].map(
    ([line, { count, testPath }]) =>
      `${line}${count > 1 ? ` (${count}×)` : ''}${testPath ? ` [${testPath.replace(/^.*\/test\//, 'test/')}]` : ''}`,
  );
  if (coverage) {
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const name = `${method.toUpperCase()} ${path}`;
        if (!observed.has(name) && !(name in UNOBSERVED_OPERATIONS))
          lines.push(`${name}: never observed by the e2e suite`);
      }
    }
  }
  return lines;
}

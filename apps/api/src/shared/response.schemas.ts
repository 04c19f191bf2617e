import type { SchemaObject } from '@nestjs/swagger';

/**
 * Schemas of the answers that are not command replies, for `@ApiOkResponse({ schema })`. Items
 * name the members clients rely on; read models may add members (additionalProperties), never
 * remove or retype one without a new version of the route.
 */
export const str = (description?: string): SchemaObject => ({
  type: 'string',
  ...(description ? { description } : {}),
});
export const nullableStr = (description?: string): SchemaObject => ({ ...str(description), nullable: true });
export const instant = (description?: string): SchemaObject => ({ ...str(description), format: 'date-time' });
export const int = (description?: string): SchemaObject => ({
  type: 'integer',
  ...(description ? { description } : {}),
});
export const bool = (description?: string): SchemaObject => ({
  type: 'boolean',
  ...(description ? { description } : {}),
});
export const strings = (description?: string): SchemaObject => ({
  type: 'array',
  items: str(),
  ...(description ? { description } : {}),
});
export const anything = (description: string): SchemaObject => ({ description });

/** An object whose listed members are all present. */
export const object = (properties: Record<string, SchemaObject>, description?: string): SchemaObject => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties),
  properties,
});

/** One page of a list: `nextCursor` is null on the last page. */
export const page = (item: SchemaObject, extra: Record<string, SchemaObject> = {}): SchemaObject =>
  object({
    ...extra,
    items: { type: 'array', items: item },
    nextCursor: nullableStr('Pass as `cursor` for the next page; null on the last page'),
  });

/** `{ items: [...] }`, not paged. */
export const list = (item: SchemaObject): SchemaObject => object({ items: { type: 'array', items: item } });

/** An aggregate's current state, with its revision (also the `ETag`). */
export const aggregate = (
  description: string,
  properties: Record<string, SchemaObject> = {},
): SchemaObject => ({
  ...object({ ...properties, revision: int('The stream revision (also `ETag`): send it as `If-Match`') }),
  description,
});

/** Audit answers state the point in time they answer for. */
export const pointInTime = {
  asOf: instant('Business time answered for'),
  knownAt: instant('Record time answered for'),
};

import type { ContractConventions } from '@cadre/platform';

/**
 * What the api's global interceptors add to every operation, for the OpenAPI document: read your
 * writes on every GET (read-your-writes.interceptor.ts), `Idempotency-Key` on every POST and
 * DELETE (command-reply.interceptor.ts).
 */
export const API_CONTRACT_CONVENTIONS: ContractConventions = {
  reads: {
    parameters: [
      {
        name: 'minPosition',
        in: 'query',
        required: false,
        description:
          'Read your own write: the `position` a command answered. The answer waits (up to 5 s) until the read models have applied it; past that, 503 `READ_MODEL.NOT_YET_AT_POSITION` with Retry-After.',
        schema: { type: 'string', maxLength: 200 },
      },
    ],
    problems: { 400: ['REQUEST.INVALID_MIN_POSITION'], 503: ['READ_MODEL.NOT_YET_AT_POSITION'] },
  },
  writes: {
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes a retry safe: the same key and body replay the first answer (with `Idempotency-Replayed: true`) and run nothing; the same key with another body is 422 `IDEMPOTENCY.KEY_REUSED`. Remembered 24 hours.',
        schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
      },
    ],
    problems: {
      400: ['REQUEST.INVALID_IDEMPOTENCY_KEY'],
      409: ['IDEMPOTENCY.IN_PROGRESS'],
      422: ['IDEMPOTENCY.KEY_REUSED'],
    },
  },
};

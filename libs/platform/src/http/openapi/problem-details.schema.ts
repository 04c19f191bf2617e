import type { SchemaObject } from '@nestjs/swagger';

export const PROBLEM_SCHEMA_NAME = 'ProblemDetails';

/** RFC 9457 problem details as `renderProblem` writes them; a problem may add members of its own. */
export const PROBLEM_DETAILS_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'An RFC 9457 problem document. `code` is stable (clients branch on it); other members (`violations`, ' +
    '`parameter`, `admittedRoles`, …) depend on the code.',
  required: ['type', 'title', 'status', 'detail', 'code', 'correlationId'],
  properties: {
    type: {
      type: 'string',
      description: '`urn:cadre:problem:<code>`',
      example: 'urn:cadre:problem:TEAM.NOT_FOUND',
    },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'A sentence for a person, not for a program.' },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*\\.[A-Z0-9_.]+$', example: 'TEAM.NOT_FOUND' },
    correlationId: {
      type: 'string',
      description: 'The request’s correlation id (also in `x-correlation-id`).',
    },
    instance: { type: 'string', description: 'The path of the request.' },
  },
  additionalProperties: true,
};

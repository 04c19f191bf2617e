import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { CadreError } from '@cadre/kernel';
import {
  CERTIFICATION_EVENT_TYPES,
  ENDPOINT_STATES,
  MAX_IN_FLIGHT,
  type WebhookSubscription,
} from '@cadre/integration';
import { instant, int, nullableStr, object, str, strings } from '../shared/response.schemas.js';

/** What the webhook-subscription routes take and give: the request body, the reply's schemas, the refusal. */

export class InvalidSubscriptionError extends CadreError {
  readonly category = 'validation' as const;
  constructor(field: string, message: string) {
    super('WEBHOOK.INVALID_SUBSCRIPTION', message, { field });
  }
}

/**
 * The body of a subscription. Declared for the document and the ValidationPipe (an unknown member
 * is 400); the values are checked below, where 400 `WEBHOOK.INVALID_SUBSCRIPTION` names the field.
 */
export class SubscriptionRequestDto {
  @ApiProperty({
    type: 'string',
    format: 'uri',
    description: 'An absolute http(s) URL (public in production)',
  })
  @Allow()
  url?: unknown;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...CERTIFICATION_EVENT_TYPES] },
    minItems: 1,
    description: 'Default: every certification event type',
  })
  @Allow()
  eventTypes?: unknown;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string' },
    minItems: 1,
    description: 'Within yours (default: all of yours)',
  })
  @Allow()
  jurisdictions?: unknown;

  @ApiPropertyOptional({
    type: 'string',
    description: '`now` (default), `beginning` or a feed cursor',
    example: 'now',
  })
  @Allow()
  from?: unknown;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: MAX_IN_FLIGHT.min,
    maximum: MAX_IN_FLIGHT.max,
    description: `Events delivered at once, of different staff members (default ${MAX_IN_FLIGHT.default}); one member's events go one at a time, in order. 1: in order across the subscription`,
  })
  @Allow()
  maxInFlight?: unknown;
}

/** The body of a change to a subscription (PATCH): what may change after its creation. */
export class SubscriptionChangeDto {
  @ApiProperty({
    type: 'integer',
    minimum: MAX_IN_FLIGHT.min,
    maximum: MAX_IN_FLIGHT.max,
    description: 'Events delivered at once, of different staff members',
  })
  @Allow()
  maxInFlight?: unknown;
}

/** The body of a replay: a range of the log, by feed cursors. */
export class ReplayRequestDto {
  @ApiProperty({ type: 'string', description: 'A feed cursor: the replay starts after it' })
  @Allow()
  from?: unknown;

  @ApiPropertyOptional({
    type: 'string',
    description: 'A feed cursor: the replay ends with it (default: the head)',
  })
  @Allow()
  to?: unknown;
}

/** `maxInFlight` as given, or 400 `WEBHOOK.INVALID_SUBSCRIPTION` naming it. */
export function maxInFlightOf(raw: unknown): number {
  if (
    typeof raw !== 'number' ||
    !Number.isInteger(raw) ||
    raw < MAX_IN_FLIGHT.min ||
    raw > MAX_IN_FLIGHT.max
  ) {
    throw new InvalidSubscriptionError(
      'maxInFlight',
      `\`maxInFlight\` must be a whole number from ${MAX_IN_FLIGHT.min} to ${MAX_IN_FLIGHT.max}.`,
    );
  }
  return raw;
}

export const present = (s: WebhookSubscription) => ({
  id: s.id,
  url: s.url,
  eventTypes: s.eventTypes,
  jurisdictions: s.jurisdictions,
  cursor: s.cursor,
  maxInFlight: s.maxInFlight,
  createdAt: s.createdAt,
  state: s.state,
  stateReason: s.stateReason,
  lastSuccessAt: s.lastSuccessAt,
  lastFailureAt: s.lastFailureAt,
  consecutiveFailures: s.consecutiveFailures,
  lag: s.lag,
});

/** A subscription that is not in a state the change applies to (409). */
export class SubscriptionStateError extends CadreError {
  readonly category = 'conflict' as const;
  constructor(id: string, wanted: string) {
    super('WEBHOOK.SUBSCRIPTION_STATE', `Webhook subscription ${id} is not ${wanted}.`, { id });
  }
}

export const SUBSCRIPTION = object({
  id: str(),
  url: str('Where the events are POSTed'),
  eventTypes: strings(),
  jurisdictions: strings(),
  cursor: nullableStr(
    'How far the log has been taken into delivery (a feed cursor): events up to it are delivered or queued',
  ),
  maxInFlight: int('Events delivered at once, of different staff members (1–64)'),
  createdAt: instant(),
  state: {
    type: 'string',
    enum: [...ENDPOINT_STATES],
    description:
      '`active`; `failing` (recent attempts all failed: one probe at a time, no event spends its retries); `disabled` (410 Gone, or failing too long: `POST …/enable`); `paused` (`POST …/resume`)',
  },
  stateReason: nullableStr('Why it is failing or disabled'),
  lastSuccessAt: { ...instant(), nullable: true },
  lastFailureAt: { ...instant(), nullable: true },
  consecutiveFailures: int('Attempts in a row that failed, across staff members'),
  lag: object({
    events: int('Events queued and not yet delivered'),
    seconds: int('Age of the oldest of them'),
  }),
});
export const SUBSCRIPTION_WITH_SECRET = object({
  ...SUBSCRIPTION.properties!,
  secret: str('The signing secret (Standard Webhooks), shown in this reply only'),
} as Parameters<typeof object>[0]);

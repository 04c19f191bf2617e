import { Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiOkResponse } from '@nestjs/swagger';
import type pg from 'pg';
import { CadreError, type Actor } from '@cadre/kernel';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@cadre/event-store';
import { CurrentActor, Roles, Problems } from '@cadre/platform';
import { HISTORY_SCHEMA } from '@cadre/read-models';
import { READ_MODEL_POOL } from '@cadre/subscriptions/nest';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import { ApiController } from '../shared/api-controller.js';
import { AccessLogged } from './access-log.js';
import { outsideJurisdictions } from './stream-scope.js';
import { StreamEventsQueryDto } from './audit.request.dto.js';
import { anything, int, object, str } from '../shared/response.schemas.js';

class OutsideJurisdictionError extends CadreError {
  readonly category = 'forbidden' as const;
  constructor(jurisdictions: readonly string[]) {
    super(
      'ACTOR.OUTSIDE_JURISDICTION',
      `This record concerns ${jurisdictions.join(', ')}, outside your jurisdictions.`,
      {
        jurisdictions,
      },
    );
  }
}

/** What an event tells an auditor: the fact, who recorded it, when (both clocks), why, caused by what. */
const present = (event: RecordedEvent) => ({
  eventId: event.eventId,
  stream: event.stream,
  revision: event.revision,
  type: event.type,
  data: event.data,
  occurredAt: event.metadata.occurredAt,
  recordedAt: event.recordedAt,
  actor: event.metadata.actor,
  reason: event.metadata.reason ?? null,
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.causationId,
  schemaVersion: event.metadata.schemaVersion,
  position: event.position,
  hash: event.hash,
});

function assertMayRead(actor: Actor, events: readonly RecordedEvent[]): void {
  const outside = outsideJurisdictions(actor, events);
  if (outside.length > 0) throw new OutsideJurisdictionError(outside);
}

@ApiController({ tag: 'audit', path: 'v1/audit' })
export class AuditHistoryHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_POOL) private readonly pool: pg.Pool,
  ) {}

  @Get('streams/:stream/events')
  @Roles('auditor', 'manager', 'admin')
  @AccessLogged('stream-history')
  @ApiOperation({
    summary:
      "A stream's events with their metadata: who, when (both clocks), on what authority, caused by what",
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: object({
      stream: str(),
      headRevision: int(),
      events: {
        type: 'array',
        items: anything('An event as recorded: type, data, both clocks, actor, reason, causation'),
      },
      nextFromRevision: { ...int(), nullable: true },
    }),
  })
  @Problems({ 403: ['ACTOR.OUTSIDE_JURISDICTION'], 404: ['AUDIT.STREAM_NOT_FOUND'] })
  async streamEvents(
    @Param('stream') stream: string,
    @Query() query: StreamEventsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<object> {
    const all = await this.store.readStream(stream);
    if (all.length === 0) throw new ResourceNotFoundError('AUDIT.STREAM_NOT_FOUND', `Stream ${stream}`);
    assertMayRead(actor, all);
    const from = query.fromRevision ?? 0;
    const limit = query.limit ?? 100;
    const page = all.filter((event) => event.revision >= from).slice(0, limit);
    const last = page.at(-1);
    return {
      stream,
      headRevision: all.length - 1,
      events: page.map(present),
      nextFromRevision: last && last.revision < all.length - 1 ? last.revision + 1 : null,
    };
  }

  @Get('correlations/:correlationId')
  @Roles('auditor', 'manager', 'admin')
  @AccessLogged('correlation-history')
  @ApiOperation({ summary: 'Everything one request caused, across streams, in the order it was recorded' })
  @ApiOkResponse({
    description: 'The answer',
    schema: object({
      correlationId: str(),
      events: { type: 'array', items: anything('An event as recorded') },
    }),
  })
  @Problems({ 404: ['AUDIT.CORRELATION_NOT_FOUND'] })
  async correlation(
    @Param('correlationId') correlationId: string,
    @CurrentActor() actor: Actor,
  ): Promise<object> {
    const { rows } = await this.pool.query<{ stream: string; revision: string }>(
      `SELECT stream, revision::text AS revision FROM ${HISTORY_SCHEMA}.events WHERE correlation_id = $1 ORDER BY ordinal LIMIT 1000`,
      [correlationId],
    );
    if (rows.length === 0)
      throw new ResourceNotFoundError('AUDIT.CORRELATION_NOT_FOUND', `Correlation ${correlationId}`);
    const events: RecordedEvent[] = [];
    for (const row of rows) {
      events.push(
        ...(await this.store.readStream(row.stream, { fromRevision: Number(row.revision), maxCount: 1 })),
      );
    }
    assertMayRead(actor, events);
    return { correlationId, events: events.map(present) };
  }
}

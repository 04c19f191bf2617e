import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@cadre/kernel';
import { CERTIFICATION_FILTER, certificationSchemas } from '@cadre/integration';
import { CurrentActor, Public, Roles, Problems, Stopping } from '@cadre/platform';
import { InvalidQueryParameterError } from '@cadre/read-models';
import { jurisdictionScope } from '../read-side/shared/jurisdiction-scope.js';
import { FeedQueryDto, FeedStreamQueryDto } from '../read-side/shared/read-query.dto.js';
import { CertificationFeed } from './certification-feed.js';
import { anything } from '../shared/response.schemas.js';

export const CLOUDEVENTS_BATCH = 'application/cloudevents-batch+json';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const MAX_WAIT_SECONDS = 30;
const SSE_HEARTBEAT_MS = 15_000;

function integer(raw: unknown, parameter: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidQueryParameterError(parameter, `a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * The HR systems' pull feed of certification events (CloudEvents 1.0), by cursor: a batch per
 * request (with long-poll), or a server-sent event stream. Only the `hr-system` role, only its
 * jurisdictions.
 */
@ApiTags('integration')
@Controller('v1')
export class FeedsHttpController {
  constructor(
    private readonly feed: CertificationFeed,
    private readonly stopping: Stopping,
  ) {}

  @Get('integration/schemas')
  @Public()
  @ApiOperation({ summary: 'The JSON Schema of each public event type (frozen; a change is a new .v2 type)' })
  @ApiOkResponse({
    description: 'The answer',
    schema: anything('The JSON Schema of each public event type, by type'),
  })
  schemas(): Record<string, unknown> {
    return certificationSchemas();
  }

  @Get('feeds/certifications')
  @Roles('hr-system')
  @ApiBearerAuth()
  @ApiProduces(CLOUDEVENTS_BATCH)
  @ApiOperation({
    summary: 'Certification events after a cursor, as a CloudEvents batch',
    description:
      "Resume with `after` = the Cadre-Next-Cursor header (or the last event's `sequence`). With `wait` (seconds, ≤ 30) an empty page waits for the next event.",
  })
  @ApiOkResponse({
    description: 'A batch of CloudEvents (structured JSON); `Cadre-Next-Cursor` says where to resume',
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['specversion', 'id', 'source', 'type'],
        properties: {
          specversion: { type: 'string' },
          id: { type: 'string' },
          source: { type: 'string' },
          type: { type: 'string' },
        },
      },
    },
  })
  @Problems({ 400: ['FEED.INVALID_CURSOR', 'QUERY.INVALID_PARAMETER'] })
  async certifications(
    @CurrentActor() actor: Actor,
    @Query() query: FeedQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const after = this.feed.parseCursor(query.after, 'after');
    const limit = integer(query.limit, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const wait = integer(query.wait, 'wait', 0, 0, MAX_WAIT_SECONDS);
    const scope = jurisdictionScope(actor, undefined);
    let page = await this.feed.page(after, limit, scope);
    if (page.events.length === 0 && wait > 0 && !this.stopping.stopping) {
      // Until an event arrives, the wait ends, the client goes away or the process stops (then it
      // answers the page it has: empty, with the cursor to resume from).
      const gone = new AbortController();
      request.raw.once('close', () => gone.abort());
      const waiting = this.stopping.waits('long-poll');
      try {
        const signal = AbortSignal.any([gone.signal, this.stopping.signal]);
        page = await this.feed.waitForPage(page.next, limit, scope, wait * 1000, signal);
      } finally {
        waiting();
      }
    }
    const next = page.next ?? '';
    const link = new URLSearchParams({ ...(next ? { after: next } : {}), limit: String(limit) });
    reply
      .header('content-type', `${CLOUDEVENTS_BATCH}; charset=utf-8`)
      .header('cadre-next-cursor', next)
      .header('link', `</v1/feeds/certifications?${link.toString()}>; rel="next"`)
      .header('cache-control', 'no-store');
    return JSON.stringify(page.events);
  }

  @Get('feeds/certifications/stream')
  @Roles('hr-system')
  @ApiBearerAuth()
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary:
      'Certification events as server-sent events; the SSE id is the cursor (resume with Last-Event-ID)',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'Resume after this event: the SSE `id` of the last event received (takes precedence over `after`)',
  })
  @ApiOkResponse({
    description: 'Server-sent events, one per certification event, with heartbeats',
    schema: { type: 'string' },
  })
  @Problems({ 400: ['FEED.INVALID_CURSOR'] })
  async stream(
    @CurrentActor() actor: Actor,
    @Query() query: FeedStreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = this.feed.parseCursor(lastEventId ?? query.after, lastEventId ? 'Last-Event-ID' : 'after');
    const scope = jurisdictionScope(actor, undefined);
    const subscription = this.feed.store.subscribeToAll({
      after: after ?? undefined,
      filter: CERTIFICATION_FILTER,
      batchSize: 100,
    });
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(': cadre certification feed\n\n');
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    const waiting = this.stopping.waits('stream');
    const stop = () => {
      clearInterval(heartbeat);
      this.stopping.signal.removeEventListener('abort', stopping);
      void subscription.close();
    };
    // The process stops: the stream ends (the client resumes from its last id elsewhere or later).
    const stopping = (): void => {
      raw.write(': cadre is stopping\n\n');
      stop();
    };
    if (this.stopping.stopping) stopping();
    else this.stopping.signal.addEventListener('abort', stopping, { once: true });
    request.raw.once('close', stop);
    try {
      for await (const batch of subscription) {
        for (const event of await this.feed.visible(batch, scope)) {
          raw.write(`id: ${event.sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        }
      }
    } catch {
      // The client went away or the store closed: the stream ends; the client resumes by its id.
    } finally {
      stop();
      raw.end();
      waiting();
    }
  }
}

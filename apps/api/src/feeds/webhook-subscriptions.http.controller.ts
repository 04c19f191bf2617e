import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CLOCK, randomIds, type Actor, type Clock } from '@cadre/kernel';
import type pg from 'pg';
import { actsIn, DomainForbiddenError } from '@cadre/domain';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import {
  CERTIFICATION_EVENT_TYPES,
  DeliveryQueue,
  WebhookSubscriptions,
  assertPublicHost,
  keyRingSecretBox,
  isCertificationEventType,
  postSigned,
  toStructuredJson,
  type EndpointState,
  type WebhookSubscription,
} from '@cadre/integration';
import { configuredKeyRing } from '@cadre/personal-data';
import { AppConfig, CurrentActor, Roles, Problems } from '@cadre/platform';
import { READ_MODEL_POOL } from '@cadre/subscriptions/nest';
import { ResourceNotFoundError } from '../shared/not-found.error.js';
import {
  InvalidSubscriptionError,
  SUBSCRIPTION,
  SUBSCRIPTION_WITH_SECRET,
  ReplayRequestDto,
  SubscriptionChangeDto,
  SubscriptionRequestDto,
  SubscriptionStateError,
  maxInFlightOf,
  present,
} from './webhook-subscription.contract.js';
import { CertificationFeed } from './certification-feed.js';
import { replayRange } from './webhook-replay.js';
import { anything, bool, instant, int, list, nullableStr, object, str } from '../shared/response.schemas.js';

/** How long the previous secret keeps signing after a rotation. */
const SECRET_OVERLAP_MS = 24 * 3_600_000;

/**
 * Webhook subscriptions of HR systems: certification events POSTed to their URL as CloudEvents
 * (structured JSON), signed per Standard Webhooks with the secret shown once at creation.
 */
@ApiTags('integration')
@ApiBearerAuth()
@Controller('v1/webhook-subscriptions')
@Roles('hr-system', 'admin')
export class WebhookSubscriptionsHttpController {
  private readonly subscriptions: WebhookSubscriptions;
  private readonly queue: DeliveryQueue;
  private readonly source: string;
  private readonly production: boolean;

  constructor(
    @Inject(READ_MODEL_POOL) pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly feed: CertificationFeed,
    config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.source = config.CADRE_EVENT_SOURCE;
    this.production = config.NODE_ENV === 'production';
    this.subscriptions = new WebhookSubscriptions(pool, keyRingSecretBox(configuredKeyRing(config)));
    this.queue = new DeliveryQueue(this.subscriptions);
  }

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to certification events (the signing secret is shown in this reply only)',
    description:
      '`from`: `now` (default), `beginning` or a feed cursor. 400 WEBHOOK.INVALID_SUBSCRIPTION on a non-http(s) URL or an unknown event type.',
  })
  @ApiCreatedResponse({ description: 'The answer', schema: SUBSCRIPTION_WITH_SECRET })
  @Problems({ 400: ['WEBHOOK.INVALID_SUBSCRIPTION'], 403: ['ACTOR.OUTSIDE_JURISDICTION'] })
  @Problems({ 400: ['FEED.INVALID_CURSOR'] })
  async create(@CurrentActor() actor: Actor, @Body() body: SubscriptionRequestDto) {
    const url = this.url(body.url);
    if (this.production) {
      // Also checked at every connection by the worker (DNS rebinding).
      await assertPublicHost(new URL(url).hostname).catch((error: unknown) => {
        throw new InvalidSubscriptionError('url', `\`url\` must reach a public address: ${String(error)}`);
      });
    }
    const eventTypes = this.eventTypes(body.eventTypes);
    const jurisdictions = this.jurisdictions(actor, body.jurisdictions);
    const maxInFlight = body.maxInFlight === undefined ? undefined : maxInFlightOf(body.maxInFlight);
    const cursor = await this.from(body.from);
    const created = await this.subscriptions.create({
      owner: actor.sub,
      url,
      eventTypes,
      jurisdictions,
      cursor,
      maxInFlight,
    });
    return { ...this.present(created), secret: created.secret };
  }

  @Get()
  @ApiOperation({ summary: 'Your webhook subscriptions (an admin sees all)' })
  @ApiOkResponse({ description: 'The answer', schema: list(SUBSCRIPTION) })
  async list(@CurrentActor() actor: Actor) {
    return { items: (await this.subscriptions.list(this.owner(actor))).map((s) => this.present(s)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your webhook subscriptions (an admin reads any)' })
  @ApiOkResponse({ description: 'The answer', schema: SUBSCRIPTION })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'] })
  async read(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.present(await this.find(actor, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a webhook subscription: how many events are delivered at once (`maxInFlight`)',
    description:
      '400 WEBHOOK.INVALID_SUBSCRIPTION when `maxInFlight` is not a whole number from 1 to 64. Takes effect at the next claim; events already in flight finish.',
  })
  @ApiOkResponse({ description: 'The answer', schema: SUBSCRIPTION })
  @Problems({ 400: ['WEBHOOK.INVALID_SUBSCRIPTION'], 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'] })
  async change(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SubscriptionChangeDto) {
    const maxInFlight = maxInFlightOf(body.maxInFlight);
    if (!(await this.subscriptions.setMaxInFlight(id, this.owner(actor), maxInFlight)))
      throw this.notFound(id);
    return this.present(await this.find(actor, id));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pause delivery (a receiver in maintenance): events queue up, nothing is sent or spent',
    description: '409 WEBHOOK.SUBSCRIPTION_STATE when it is disabled or already paused.',
  })
  @ApiOkResponse({ description: 'The answer', schema: SUBSCRIPTION })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'], 409: ['WEBHOOK.SUBSCRIPTION_STATE'] })
  pause(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.changeState(actor, id, ['active', 'failing'], 'paused', 'active or failing');
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resume a paused subscription where it stood',
    description: '409 WEBHOOK.SUBSCRIPTION_STATE when it is not paused.',
  })
  @ApiOkResponse({ description: 'The answer', schema: SUBSCRIPTION })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'], 409: ['WEBHOOK.SUBSCRIPTION_STATE'] })
  resume(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.changeState(actor, id, ['paused'], 'active', 'paused');
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enable a disabled subscription: delivery resumes from where it stood',
    description: '409 WEBHOOK.SUBSCRIPTION_STATE when it is not disabled.',
  })
  @ApiOkResponse({ description: 'The answer', schema: SUBSCRIPTION })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'], 409: ['WEBHOOK.SUBSCRIPTION_STATE'] })
  enable(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.changeState(actor, id, ['disabled'], 'active', 'disabled');
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a range of events again (Cadre-Redelivery: replay), in order per staff member',
    description:
      '`from`: a feed cursor (replay starts after it); `to`: a feed cursor, inclusive (default: the head). 400 FEED.INVALID_CURSOR when either is not a cursor, WEBHOOK.INVALID_REPLAY when `from` is missing, `to` comes before `from`, or the range holds more than 10,000 events.',
  })
  @ApiResponse({
    status: 202,
    description: 'Queued',
    schema: object({
      replayed: int('Events queued to be sent again'),
      from: str(),
      to: nullableStr('The last position of the range (null: the log is empty)'),
    }),
  })
  @Problems({
    400: ['FEED.INVALID_CURSOR', 'WEBHOOK.INVALID_REPLAY'],
    404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'],
  })
  async replay(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReplayRequestDto) {
    const subscription = await this.find(actor, id);
    const replayed = await replayRange(this.feed, this.queue, subscription, body.from, body.to);
    if (!replayed) throw this.notFound(id);
    return replayed;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a webhook subscription: nothing more is delivered to it' })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'] })
  async remove(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    if (!(await this.subscriptions.remove(id, this.owner(actor)))) throw this.notFound(id);
  }

  @Post(':id/ping')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a signed test event to the subscription URL now; answers its HTTP status' })
  @ApiOkResponse({
    description: 'The answer',
    schema: object({
      eventId: str(),
      status: { ...int('The HTTP status the URL answered; null when unreachable'), nullable: true },
    }),
  })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'] })
  async ping(@CurrentActor() actor: Actor, @Param('id') id: string) {
    const subscription = await this.find(actor, id);
    const secret = (await this.subscriptions.active()).find((s) => s.id === subscription.id)!.secrets;
    const eventId = randomIds();
    const body = JSON.stringify({
      specversion: '1.0',
      id: eventId,
      source: this.source,
      type: 'org.cadre.webhook.ping.v1',
      time: this.clock.now().toISOString(),
      datacontenttype: 'application/json',
      data: { subscriptionId: subscription.id },
    });
    try {
      return {
        eventId,
        status: await postSigned(subscription.url, secret, eventId, body, 10_000, {}, this.production),
      };
    } catch (error) {
      return { eventId, status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  @Get(':id/dead-letters')
  @ApiOperation({ summary: 'Events that exhausted their delivery attempts for this subscription' })
  @ApiOkResponse({
    description: 'The answer',
    schema: list(anything('An event whose delivery attempts were exhausted')),
  })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'] })
  async deadLetters(@CurrentActor() actor: Actor, @Param('id') id: string) {
    await this.find(actor, id);
    const letters = await this.subscriptions.deadLetters(id);
    return {
      items: letters.map(({ eventId, position, attempts, lastError, recordedAt }) => ({
        eventId,
        position: this.feed.spelled(position),
        attempts,
        lastError,
        recordedAt,
      })),
    };
  }

  @Post(':id/dead-letters/:eventId/redeliver')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Deliver a dead letter again now, flagged out of order (Cadre-Redelivery: out-of-order)',
    description: 'On a 2xx answer the dead letter is removed; otherwise it stays and the status is returned.',
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: object({
      eventId: str(),
      delivered: bool(),
      status: { ...int(), nullable: true },
      error: nullableStr(),
      outOfOrder: bool(),
    }),
  })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'] })
  async redeliver(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('eventId') eventId: string) {
    const subscription = await this.find(actor, id);
    const letter = await this.subscriptions.deadLetter(subscription.id, eventId);
    // The body is rebuilt from the log as the feed maps it now (an erasure shows: employeeRef null).
    const event = letter?.subject ? await this.feed.mapper.mapById(letter.subject, letter.eventId) : null;
    if (!event) {
      throw new ResourceNotFoundError('WEBHOOK.DEAD_LETTER_NOT_FOUND', `Dead letter ${eventId} of ${id}`);
    }
    const body = JSON.stringify(toStructuredJson(event.cloudEvent));
    const secrets = (await this.subscriptions.active()).find((s) => s.id === subscription.id)!.secrets;
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await postSigned(
        subscription.url,
        secrets,
        eventId,
        body,
        10_000,
        { 'cadre-redelivery': 'out-of-order' },
        this.production,
      );
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const delivered = status !== null && status >= 200 && status < 300;
    if (delivered) await this.subscriptions.removeDeadLetter(subscription.id, eventId);
    return { eventId, delivered, status, error, outOfOrder: true };
  }

  @Post(':id/secret/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new signing secret (shown once); deliveries carry both signatures for 24 hours',
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: object({ id: str(), secret: str('Shown once'), previousSecretValidUntil: instant() }),
  })
  @Problems({ 404: ['WEBHOOK.SUBSCRIPTION_NOT_FOUND'] })
  async rotate(@CurrentActor() actor: Actor, @Param('id') id: string) {
    const secret = await this.subscriptions.rotateSecret(id, this.owner(actor), SECRET_OVERLAP_MS);
    if (!secret) throw this.notFound(id);
    return {
      id,
      secret,
      previousSecretValidUntil: new Date(this.clock.now().getTime() + SECRET_OVERLAP_MS).toISOString(),
    };
  }

  private async changeState(
    actor: Actor,
    id: string,
    from: readonly EndpointState[],
    to: EndpointState,
    wanted: string,
  ) {
    const changed = await this.subscriptions.changeState(id, this.owner(actor), from, to);
    if (changed === 'missing') throw this.notFound(id);
    if (changed === 'conflict') throw new SubscriptionStateError(id, wanted);
    return this.present(await this.find(actor, id));
  }

  /** A subscription as shown: its cursor in today's spelling (one kept from before, too). */
  private present(subscription: WebhookSubscription) {
    return present({ ...subscription, cursor: this.feed.spelled(subscription.cursor) });
  }

  private owner(actor: Actor): string | undefined {
    return actor.roles.includes('admin') ? undefined : actor.sub;
  }

  private async find(actor: Actor, id: string): Promise<WebhookSubscription> {
    const found = await this.subscriptions.get(id, this.owner(actor));
    if (!found) throw this.notFound(id);
    return found;
  }

  private notFound(id: string): Error {
    return new ResourceNotFoundError('WEBHOOK.SUBSCRIPTION_NOT_FOUND', `Webhook subscription ${id}`);
  }

  private url(raw: unknown): string {
    let url: URL | null = null;
    try {
      url = typeof raw === 'string' ? new URL(raw) : null;
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new InvalidSubscriptionError('url', '`url` must be an absolute http(s) URL.');
    }
    return url.toString();
  }

  private eventTypes(raw: unknown): string[] {
    if (raw === undefined) return [...CERTIFICATION_EVENT_TYPES];
    if (!Array.isArray(raw) || raw.length === 0 || !raw.every((t) => typeof t === 'string')) {
      throw new InvalidSubscriptionError(
        'eventTypes',
        '`eventTypes` must be a non-empty list of event types.',
      );
    }
    const unknown = raw.filter((t: string) => !isCertificationEventType(t));
    if (unknown.length > 0) {
      throw new InvalidSubscriptionError(
        'eventTypes',
        `Unknown event types: ${unknown.join(', ')}. Known: ${CERTIFICATION_EVENT_TYPES.join(', ')}.`,
      );
    }
    return [...new Set(raw as string[])];
  }

  private jurisdictions(actor: Actor, raw: unknown): string[] {
    if (raw === undefined) return [...actor.jurisdictions];
    if (!Array.isArray(raw) || raw.length === 0 || !raw.every((j) => typeof j === 'string')) {
      throw new InvalidSubscriptionError(
        'jurisdictions',
        '`jurisdictions` must be a non-empty list of codes.',
      );
    }
    const outside = (raw as string[]).filter((code) => !actsIn(actor, code));
    if (outside.length > 0) {
      throw new DomainForbiddenError(
        'ACTOR.OUTSIDE_JURISDICTION',
        `You may only subscribe within your own jurisdictions; this concerns ${outside.join(', ')}.`,
        { jurisdictions: outside },
      );
    }
    return raw as string[];
  }

  private async from(raw: unknown): Promise<string | null> {
    if (raw === undefined || raw === 'now') return this.store.headPosition();
    if (raw === 'beginning') return null;
    return this.feed.parseCursor(raw, 'from');
  }
}

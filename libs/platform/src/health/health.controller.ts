import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Problems } from '../http/openapi/problems.decorator.js';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { EventStoreHealthIndicator } from './event-store.health.js';
import { ReadModelHealthIndicator } from './read-model.health.js';
import { ReadinessDetails } from './readiness-details.js';

/** What both probes answer when the process is up (terminus's report). */
const UP = {
  description: 'Up',
  schema: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['ok'] },
      info: { type: 'object' },
      details: { type: 'object' },
    },
  },
};
/** Readiness adds `degraded` (and says so in `status`) while a projection or process has failed. */
const READY = {
  description:
    'Up. `status` is `degraded` while a projection or a process manager is failing (it retries): `degraded` names each, with the position it stands at and its error, under its kind (and the gauge `cadre_projection_failing` / `cadre_process_failing` is 1 for it) (`projections`, `processes`).',
  schema: {
    ...UP.schema,
    properties: {
      ...UP.schema.properties,
      status: { type: 'string', enum: ['ok', 'degraded'] },
      degraded: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'position', 'error'],
            properties: {
              name: { type: 'string' },
              position: { type: 'string', nullable: true, description: 'The last position it applied.' },
              error: { type: 'string', nullable: true },
            },
          },
        },
      },
    },
  },
};

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly readModel: ReadModelHealthIndicator,
    private readonly extra: ReadinessDetails,
  ) {}

  /** The process is up: restart it when this fails. Touches no dependency. */
  @ApiOperation({ summary: 'Liveness: the process answers', security: [] })
  @Get('live')
  @ApiOkResponse(UP)
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** The process can serve: 503 while the event store or the read-model database is unreachable. */
  @ApiOperation({ summary: 'Readiness: the event store and the read-model database answer', security: [] })
  @Get('ready')
  @ApiOkResponse(READY)
  @Problems({ 503: ['HEALTH.NOT_READY'] })
  @HealthCheck()
  async ready() {
    const report = await this.health.check([
      () => this.eventStore.check(),
      () => this.readModel.check(),
      async () => {
        const details = await this.extra.details();
        return Object.fromEntries(
          Object.entries(details).map(([key, value]) => [key, { status: 'up' as const, ...Object(value) }]),
        );
      },
    ]);
    const degraded = this.extra.degraded();
    return Object.keys(degraded).length === 0 ? report : { ...report, status: 'degraded' as const, degraded };
  }
}

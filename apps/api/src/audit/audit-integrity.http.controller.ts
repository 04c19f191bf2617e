import { Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiOkResponse, ApiCreatedResponse } from '@nestjs/swagger';
import type { Actor } from '@cadre/kernel';
import { CurrentActor, Roles } from '@cadre/platform';
import { SignedCheckpoints, type IntegrityReport } from '@cadre/read-models';
import { AccessLog, AccessLogged, type AccessLogEntry } from './access-log.js';
import { AccessLogQueryDto, IntegrityQueryDto } from './audit.request.dto.js';
import { outsideJurisdictions } from './stream-scope.js';
import { bool, instant, int, nullableStr, object, str, strings } from '../shared/response.schemas.js';
import { ACCESS_LOG_MAX_IDS } from './returned-records.js';
import { ApiController } from '../shared/api-controller.js';

/** One read: who, when, which route and path, the names of its parameters, what it gave. */
const ACCESS_LOG_ENTRY = object(
  {
    id: str(),
    at: instant(),
    actorSub: str('The token subject of the reader'),
    actorRoles: strings(),
    subject: str('What was read (staff-directory, staff-transcript, stream-history, …)'),
    method: str(),
    path: str('The path, without its query string'),
    parameters: strings(
      'The names of the query parameters; never their values (a search term names a person)',
    ),
    returned: {
      ...object({
        count: int(
          `How many staff and team ids the answer named, each once (exact up to ${ACCESS_LOG_MAX_IDS} of each kind; past that, an id named twice counts twice)`,
        ),
        staffIds: strings(`The first ${ACCESS_LOG_MAX_IDS} distinct staff ids of the answer, in its order`),
        teamIds: strings(`The first ${ACCESS_LOG_MAX_IDS} distinct team ids of the answer, in its order`),
      }),
      nullable: true,
      description:
        'The records the answer gave, by id (never names; a CSV export once it has streamed). null when the read gave nothing (refused or failed), for an export still streaming, and for entries recorded before ids were',
    },
    correlationId: str(),
  },
  'Who read what, when',
);

@ApiController({ tag: 'audit', path: 'v1/audit' })
export class AuditIntegrityHttpController {
  constructor(
    private readonly checkpoints: SignedCheckpoints,
    private readonly accessLog: AccessLog,
  ) {}

  @Get('integrity')
  @Roles('auditor', 'admin')
  @AccessLogged('integrity')
  @ApiOperation({
    summary:
      "Verifies a stream's hash chain against the latest signed checkpoint (every stream: npm run cadre -- integrity:verify)",
    description:
      'A stream naming a jurisdiction you do not act in is answered as a stream that does not exist (no events checked, no findings).',
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: object({ ok: bool(), streamsChecked: int(), eventsChecked: int() }),
  })
  verify(@Query() query: IntegrityQueryDto, @CurrentActor() actor: Actor): Promise<IntegrityReport> {
    return this.checkpoints.verify({
      stream: query.stream,
      mayRead: (recorded) => outsideJurisdictions(actor, recorded).length === 0,
    });
  }

  @Post('integrity/checkpoints')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({
    summary: 'Signs a checkpoint of every stream head now (the worker also does so periodically)',
  })
  @ApiCreatedResponse({
    description: 'The answer',
    schema: object({
      id: int(),
      createdAt: instant(),
      headPosition: nullableStr(),
      streams: int('Streams covered'),
    }),
  })
  async checkpoint(): Promise<object> {
    const written = await this.checkpoints.write();
    return {
      id: written.id,
      createdAt: written.body.createdAt,
      headPosition: written.body.headPosition,
      streams: written.body.streams.length,
    };
  }

  @Get('access-log')
  @Roles('admin')
  @ApiOperation({ summary: 'Who read staff records and audit data, and when (newest first)' })
  @ApiOkResponse({
    description: 'The answer',
    schema: object({
      entries: { type: 'array', items: ACCESS_LOG_ENTRY },
      nextBefore: { ...int(), nullable: true },
    }),
  })
  async log(
    @Query() query: AccessLogQueryDto,
  ): Promise<{ entries: AccessLogEntry[]; nextBefore: number | null }> {
    const limit = query.limit ?? 100;
    const entries = await this.accessLog.list({ before: query.before, actor: query.actor, limit });
    return { entries, nextBefore: entries.length === limit ? Number(entries[entries.length - 1].id) : null };
  }
}

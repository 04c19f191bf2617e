import { AccessLogged } from '../../audit/access-log.js';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, CLOCK, type Clock } from '@cadre/kernel';
import { CurrentActor, Roles, Problems } from '@cadre/platform';
import {
  JointTrainingQueryDto,
  jurisdictionScope,
  sendCsv,
  wantsCsv,
  type CsvColumn,
} from '../shared/index.js';
import {
  InvalidQueryParameterError,
  parsePointInTime,
  JointTrainingReadQuery,
  type ShareRow,
} from '@cadre/read-models';
import { anything, int, object, pointInTime, str } from '../../shared/response.schemas.js';

const share = (row: ShareRow) =>
  row.headcount === 0 ? 0 : Math.round((row.with_joint / row.headcount) * 10_000) / 10_000;

/** Joint prison–probation training: joint sessions per month and each agency's share of staff who took part. */
@ApiTags('audit')
@ApiBearerAuth()
@AccessLogged('audit-joint-training')
@Controller('v1/audit/joint-training')
export class JointTrainingHttpController {
  constructor(
    private readonly read: JointTrainingReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('auditor', 'manager', 'admin')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Joint training (asOf, knownAt, months = 12, jurisdiction; Accept: text/csv)' })
  @ApiOkResponse({
    description: 'The answer',
    schema: object({
      ...pointInTime,
      months: int(),
      periods: { type: 'array', items: object({ period: str(), jointSessions: int() }) },
      shares: {
        type: 'array',
        items: anything('A jurisdiction and agency: headcount and how many attended joint training'),
      },
    }),
  })
  @Problems({ 400: ['QUERY.INVALID_PARAMETER'], 403: ['ACTOR.OUTSIDE_JURISDICTION'] })
  async get(
    @Query() params: JointTrainingQueryDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const months = params.months === undefined || params.months === '' ? 12 : Number(params.months);
    if (
      !Number.isInteger(months) ||
      months < 1 ||
      months > 120 ||
      !/^\d+$/.test(String(params.months ?? '12'))
    )
      throw new InvalidQueryParameterError('months', 'an integer from 1 to 120');
    const query = {
      ...parsePointInTime(params, this.clock.now()),
      months,
      scope: jurisdictionScope(actor, params.jurisdiction),
    };
    const [periods, shares] = await Promise.all([this.read.periods(query), this.read.shares(query)]);
    if (wantsCsv(request)) {
      return sendCsv(
        reply,
        'joint-training',
        csvColumns(query),
        (async function* () {
          yield* shares;
        })(),
      );
    }
    return {
      asOf: query.asOf.toISOString(),
      knownAt: query.knownAt.toISOString(),
      months,
      periods: periods.map((p) => ({ period: p.period, jointSessions: p.joint_sessions })),
      shares: shares.map((row) => ({
        jurisdiction: row.jurisdiction,
        agency: row.agency,
        headcount: row.headcount,
        withJointAttendance: row.with_joint,
        share: share(row),
      })),
    };
  }
}

const csvColumns = (query: { asOf: Date; knownAt: Date; months: number }): readonly CsvColumn<ShareRow>[] => [
  { header: 'asOf', time: true, value: () => query.asOf },
  { header: 'knownAt', time: true, value: () => query.knownAt },
  { header: 'months', value: () => query.months },
  { header: 'jurisdiction', value: (r) => r.jurisdiction },
  { header: 'agency', value: (r) => r.agency },
  { header: 'headcount', value: (r) => r.headcount },
  { header: 'withJointAttendance', value: (r) => r.with_joint },
  { header: 'share', value: share },
];

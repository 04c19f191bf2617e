import { Inject, Query } from '@nestjs/common';
import { CLOCK, type Clock } from '@cadre/kernel';
import { AuditController } from '../../shared/api-controller.js';
import {
  JointTrainingQueryDto,
  ReadRoute,
  answeredFor,
  jurisdictionScope,
  sendCsv,
  wantsCsv,
  type CsvColumn,
  ReadRequest,
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
@AuditController('joint-training')
export class JointTrainingHttpController {
  constructor(
    private readonly read: JointTrainingReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    csv: true,
    summary: 'Joint training (asOf, knownAt, months = 12, jurisdiction; Accept: text/csv)',
    ok: object({
      ...pointInTime,
      months: int(),
      periods: { type: 'array', items: object({ period: str(), jointSessions: int() }) },
      shares: {
        type: 'array',
        items: anything('A jurisdiction and agency: headcount and how many attended joint training'),
      },
    }),
  })
  async get(@Query() params: JointTrainingQueryDto, @ReadRequest() read: ReadRequest): Promise<object> {
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
      scope: jurisdictionScope(read.actor, params.jurisdiction),
    };
    const [periods, shares] = await Promise.all([this.read.periods(query), this.read.shares(query)]);
    if (wantsCsv(read.request)) {
      return sendCsv(read.reply, 'joint-training', csvColumns(query), shares);
    }
    return {
      ...answeredFor(query),
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

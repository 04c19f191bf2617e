import { AccessLogged } from '../../audit/access-log.js';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, CLOCK, type Clock } from '@cadre/kernel';
import { CurrentActor, Roles, Problems } from '@cadre/platform';
import {
  FilteredAuditPageQueryDto,
  allPages,
  jurisdictionScope,
  sendCsv,
  wantsCsv,
  type CsvColumn,
} from '../shared/index.js';
import {
  decodeCursor,
  pageOf,
  parseLimit,
  parsePointInTime,
  readFilters,
  type Page,
  CoverageReadQuery,
  coverageSortKey,
  type CoverageRow,
} from '@cadre/read-models';
import { anything, page, pointInTime } from '../../shared/response.schemas.js';

/**
 * The share of headcount meeting each requirement in force, by jurisdiction × institution × agency
 * × role × competency × level, as of any date and as known at any date.
 */
@ApiTags('audit')
@ApiBearerAuth()
@AccessLogged('audit-coverage')
@Controller('v1/audit/coverage')
export class CoverageHttpController {
  constructor(
    private readonly coverage: CoverageReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('auditor', 'manager', 'admin')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Coverage (asOf, knownAt, jurisdiction, institution, agency, role, competency, cursor; Accept: text/csv)',
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: page(anything('A person and a requirement: met or not, by which certification'), pointInTime),
  })
  @Problems({ 400: ['QUERY.INVALID_PARAMETER'], 403: ['ACTOR.OUTSIDE_JURISDICTION'] })
  async get(
    @Query() params: FilteredAuditPageQueryDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<(Page<object> & { asOf: string; knownAt: string }) | FastifyReply> {
    const pointInTime = parsePointInTime(params, this.clock.now());
    const query = {
      ...pointInTime,
      ...readFilters(params),
      scope: jurisdictionScope(actor, params.jurisdiction),
    };
    const after = decodeCursor(params.cursor, 7);
    if (wantsCsv(request)) {
      const rows = allPages((key) => this.coverage.page(query, key ?? after, 1000), coverageSortKey);
      return sendCsv(reply, 'coverage', csvColumns(pointInTime), rows);
    }
    const limit = parseLimit(params.limit);
    const rows = await this.coverage.page(query, after, limit + 1);
    return {
      asOf: pointInTime.asOf.toISOString(),
      knownAt: pointInTime.knownAt.toISOString(),
      ...pageOf(rows, limit, coverageSortKey, coverageItem),
    };
  }
}

const share = (row: CoverageRow) =>
  row.headcount === 0 ? 0 : Math.round((row.meeting / row.headcount) * 10_000) / 10_000;

const coverageItem = (row: CoverageRow) => ({
  jurisdiction: row.jurisdiction,
  institution: row.institution,
  agency: row.agency,
  role: row.role,
  requirementRole: row.requirement_role,
  competency: row.competency,
  level: row.min_level,
  frameworkVersion: row.framework_version,
  headcount: row.headcount,
  meeting: row.meeting,
  share: share(row),
});

const csvColumns = (at: { asOf: Date; knownAt: Date }): readonly CsvColumn<CoverageRow>[] => [
  { header: 'asOf', time: true, value: () => at.asOf },
  { header: 'knownAt', time: true, value: () => at.knownAt },
  { header: 'jurisdiction', value: (r) => r.jurisdiction },
  { header: 'institution', value: (r) => r.institution },
  { header: 'agency', value: (r) => r.agency },
  { header: 'role', value: (r) => r.role },
  { header: 'requirementRole', value: (r) => r.requirement_role },
  { header: 'competency', value: (r) => r.competency },
  { header: 'level', value: (r) => r.min_level },
  { header: 'frameworkVersion', value: (r) => r.framework_version },
  { header: 'headcount', value: (r) => r.headcount },
  { header: 'meeting', value: (r) => r.meeting },
  { header: 'share', value: share },
];

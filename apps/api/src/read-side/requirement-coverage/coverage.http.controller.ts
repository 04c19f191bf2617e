import { Inject, Query } from '@nestjs/common';
import { CLOCK, type Clock } from '@cadre/kernel';
import {
  FilteredAuditPageQueryDto,
  ReadRoute,
  answeredFor,
  auditListQuery,
  pageOrCsv,
  type CsvColumn,
  ReadRequest,
} from '../shared/index.js';
import { AuditController } from '../../shared/api-controller.js';
import { parsePointInTime, CoverageReadQuery, coverageSortKey, type CoverageRow } from '@cadre/read-models';
import { anything, page, pointInTime } from '../../shared/response.schemas.js';

/**
 * The share of headcount meeting each requirement in force, by jurisdiction × institution × agency
 * × role × competency × level, as of any date and as known at any date.
 */
@AuditController('coverage')
export class CoverageHttpController {
  constructor(
    private readonly coverage: CoverageReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    csv: true,
    summary:
      'Coverage (asOf, knownAt, jurisdiction, institution, agency, role, competency, cursor; Accept: text/csv)',
    ok: page(anything('A person and a requirement: met or not, by which certification'), pointInTime),
  })
  async get(@Query() params: FilteredAuditPageQueryDto, @ReadRequest() read: ReadRequest): Promise<object> {
    const query = auditListQuery(params, read.actor, parsePointInTime(params, this.clock.now()));
    return pageOrCsv(
      read,
      params,
      {
        keyParts: 7,
        fetch: (after, count) => this.coverage.page(query, after, count),
        sortKey: coverageSortKey,
        item: coverageItem,
        csv: { filename: 'coverage', columns: csvColumns(query) },
      },
      answeredFor(query),
    );
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

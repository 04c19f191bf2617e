import { Inject, Query } from '@nestjs/common';
import { CLOCK, type Clock } from '@cadre/kernel';
import {
  ExpiryGapsQueryDto,
  ReadRoute,
  answeredFor,
  auditListQuery,
  pageOrCsv,
  type CsvColumn,
  ReadRequest,
} from '../shared/index.js';
import { AuditController } from '../../shared/api-controller.js';
import {
  InvalidQueryParameterError,
  parsePointInTime,
  ExpiryGapsReadQuery,
  expiryGapSortKey,
  type ExpiryGapRow,
} from '@cadre/read-models';
import { anything, int, page, pointInTime } from '../../shared/response.schemas.js';

const DAY_MS = 86_400_000;

/** Certifications expiring soon, in their window or expired: MDT members first. */
@AuditController('expiry-gaps')
export class ExpiryGapsHttpController {
  constructor(
    private readonly gaps: ExpiryGapsReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    csv: true,
    summary:
      'Expiry gaps (asOf, knownAt, within=30|60|90, jurisdiction, institution, agency, role, competency, cursor, limit; Accept: text/csv)',
    description:
      '`gap`: expiring (valid, ends within `within` days of asOf), window-open, or expired (and not covered by another valid certification of that competency at or above its level). Members serving on a team (`onTeam`) come first, then the soonest to end.',
    ok: page(anything('A certification expiring, in its window or expired, not covered'), {
      ...pointInTime,
      within: int(),
    }),
  })
  async list(@Query() params: ExpiryGapsQueryDto, @ReadRequest() read: ReadRequest): Promise<object> {
    const point = parsePointInTime(params, this.clock.now());
    const within = params.within === undefined || params.within === '' ? 90 : Number(params.within);
    if (![30, 60, 90].includes(within)) throw new InvalidQueryParameterError('within', '30, 60 or 90');
    const query = { ...auditListQuery(params, read.actor, point), within };
    return pageOrCsv(
      read,
      params,
      {
        keyParts: 4,
        fetch: (after, count) => this.gaps.page(query, after, count),
        sortKey: expiryGapSortKey,
        item: (row) => gapItem(row, point.asOf),
        csv: { filename: 'expiry-gaps', columns: CSV_COLUMNS },
      },
      { ...answeredFor(point), within },
    );
  }
}

const daysLeft = (row: ExpiryGapRow, asOf: Date): number =>
  Math.ceil((row.certified_until.getTime() - asOf.getTime()) / DAY_MS);

const gapItem = (row: ExpiryGapRow, asOf: Date) => ({
  gap: row.gap,
  onTeam: row.team_rank === 0,
  staffId: row.staff_id,
  name: row.name,
  agency: row.agency,
  jurisdiction: row.jurisdiction,
  institution: row.institution,
  role: row.role,
  certificationId: row.certification_id,
  competency: row.competency,
  level: row.level,
  validFrom: row.certified_from.toISOString(),
  validUntil: row.certified_until.toISOString(),
  windowOpensAt: row.window_opens_at.toISOString(),
  daysLeft: daysLeft(row, asOf),
});

const CSV_COLUMNS: readonly CsvColumn<ExpiryGapRow>[] = [
  { header: 'gap', value: (r) => r.gap },
  { header: 'onTeam', value: (r) => r.team_rank === 0 },
  { header: 'staffId', value: (r) => r.staff_id },
  { header: 'name', value: (r) => r.name },
  { header: 'agency', value: (r) => r.agency },
  { header: 'jurisdiction', value: (r) => r.jurisdiction },
  { header: 'institution', value: (r) => r.institution },
  { header: 'role', value: (r) => r.role },
  { header: 'certificationId', value: (r) => r.certification_id },
  { header: 'competency', value: (r) => r.competency },
  { header: 'level', value: (r) => r.level },
  { header: 'validFrom', time: true, value: (r) => r.certified_from },
  { header: 'validUntil', time: true, value: (r) => r.certified_until },
  { header: 'windowOpensAt', time: true, value: (r) => r.window_opens_at },
];

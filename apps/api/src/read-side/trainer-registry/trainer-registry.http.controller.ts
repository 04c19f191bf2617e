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
import {
  parsePointInTime,
  TrainerRegistryReadQuery,
  trainerSortKey,
  type TrainerEntry,
} from '@cadre/read-models';
import { anything, page, pointInTime } from '../../shared/response.schemas.js';

/** Trainers: their trainer-level accreditations and the cascade sessions they delivered. */
@AuditController('trainers')
export class TrainerRegistryHttpController {
  constructor(
    private readonly registry: TrainerRegistryReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    csv: true,
    summary:
      'The trainer registry (asOf, knownAt, jurisdiction, institution, agency, competency, cursor, limit; Accept: text/csv)',
    description:
      'Each trainer with a trainer-level certification at `asOf` (as known at `knownAt`): accreditations with status and validity, the sessions they deliver or delivered, and how many closed (delivered).',
    ok: page(anything('A trainer and the programmes it may deliver'), pointInTime),
  })
  async list(@Query() params: FilteredAuditPageQueryDto, @ReadRequest() read: ReadRequest): Promise<object> {
    const point = parsePointInTime(params, this.clock.now());
    const query = auditListQuery(params, read.actor, point);
    return pageOrCsv(
      read,
      params,
      {
        keyParts: 1,
        fetch: (after, count) => this.registry.page(query, after, count),
        sortKey: trainerSortKey,
        item: trainerItem,
        csv: { filename: 'trainers', columns: CSV_COLUMNS, batch: 500 },
      },
      answeredFor(point),
    );
  }
}

const delivered = (entry: TrainerEntry) => entry.sessions.filter((s) => s.status === 'closed');

const trainerItem = (entry: TrainerEntry) => ({
  staffId: entry.staff_id,
  name: entry.name,
  agency: entry.agency,
  jurisdiction: entry.jurisdiction,
  institution: entry.institution,
  accreditations: entry.accreditations.map((a) => ({
    certificationId: a.certification_id,
    competency: a.competency,
    status: a.status,
    validFrom: a.certified_from.toISOString(),
    validUntil: a.certified_until.toISOString(),
  })),
  sessions: entry.sessions.map((s) => ({
    sessionId: s.session_id,
    programmeId: s.programme_id,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    jurisdictions: s.jurisdictions,
    status: s.status,
  })),
  sessionsDelivered: delivered(entry).length,
});

const CSV_COLUMNS: readonly CsvColumn<TrainerEntry>[] = [
  { header: 'staffId', value: (r) => r.staff_id },
  { header: 'name', value: (r) => r.name },
  { header: 'agency', value: (r) => r.agency },
  { header: 'jurisdiction', value: (r) => r.jurisdiction },
  { header: 'institution', value: (r) => r.institution },
  {
    header: 'accreditations (competency:status:validUntil UTC)',
    value: (r) =>
      r.accreditations
        .map((a) => `${a.competency}:${a.status}:${a.certified_until.toISOString()}`)
        .join('; '),
  },
  { header: 'sessionsDelivered', value: (r) => delivered(r).length },
  {
    header: 'deliveredSessionIds',
    value: (r) =>
      delivered(r)
        .map((s) => s.session_id)
        .join('; '),
  },
];

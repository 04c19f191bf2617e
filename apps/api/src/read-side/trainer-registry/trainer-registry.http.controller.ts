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
  TrainerRegistryReadQuery,
  trainerSortKey,
  type TrainerEntry,
} from '@cadre/read-models';
import { anything, page, pointInTime } from '../../shared/response.schemas.js';

/** Trainers: their trainer-level accreditations and the cascade sessions they delivered. */
@ApiTags('audit')
@ApiBearerAuth()
@AccessLogged('audit-trainers')
@Controller('v1/audit/trainers')
export class TrainerRegistryHttpController {
  constructor(
    private readonly registry: TrainerRegistryReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('auditor', 'manager', 'admin')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'The trainer registry (asOf, knownAt, jurisdiction, institution, agency, competency, cursor, limit; Accept: text/csv)',
    description:
      'Each trainer with a trainer-level certification at `asOf` (as known at `knownAt`): accreditations with status and validity, the sessions they deliver or delivered, and how many closed (delivered).',
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: page(anything('A trainer and the programmes it may deliver'), pointInTime),
  })
  @Problems({ 400: ['QUERY.INVALID_PARAMETER'], 403: ['ACTOR.OUTSIDE_JURISDICTION'] })
  async list(
    @Query() params: FilteredAuditPageQueryDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const point = parsePointInTime(params, this.clock.now());
    const { institution, agency, competency } = readFilters(params);
    const query = {
      ...point,
      institution,
      agency,
      competency,
      scope: jurisdictionScope(actor, params.jurisdiction),
    };
    const after = decodeCursor(params.cursor, 1);
    if (wantsCsv(request)) {
      const rows = allPages((key) => this.registry.page(query, key ?? after, 500), trainerSortKey);
      return sendCsv(reply, 'trainers', CSV_COLUMNS, rows);
    }
    const limit = parseLimit(params.limit);
    const page = pageOf(
      await this.registry.page(query, after, limit + 1),
      limit,
      trainerSortKey,
      trainerItem,
    );
    return { asOf: point.asOf.toISOString(), knownAt: point.knownAt.toISOString(), ...page };
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

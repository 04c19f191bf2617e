import { AccessLogged } from '../../audit/access-log.js';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, CLOCK, type Clock } from '@cadre/kernel';
import { CurrentActor, Roles, Problems } from '@cadre/platform';
import { jurisdictionScope, sendCsv, wantsCsv, type CsvColumn, AuditQueryDto } from '../shared/index.js';
import {
  parsePointInTime,
  MatrixConformanceReadQuery,
  type JurisdictionMatrix,
  type MatrixCell,
} from '@cadre/read-models';
import { object, pointInTime } from '../../shared/response.schemas.js';

/**
 * Role × competency × level per jurisdiction against the regional baseline (the latest published
 * framework version), and which version each jurisdiction adopted, from when.
 */
@ApiTags('audit')
@ApiBearerAuth()
@AccessLogged('audit-matrix')
@Controller('v1/audit/matrix')
export class MatrixConformanceHttpController {
  constructor(
    private readonly read: MatrixConformanceReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('auditor', 'manager', 'admin')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Matrix conformance (asOf, knownAt, jurisdiction; Accept: text/csv)' })
  @ApiOkResponse({
    description: 'The answer',
    schema: object(pointInTime, 'Each jurisdiction’s roles × competencies: required level and conformance'),
  })
  @Problems({ 400: ['QUERY.INVALID_PARAMETER'], 403: ['ACTOR.OUTSIDE_JURISDICTION'] })
  async get(
    @Query() params: AuditQueryDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    const at = parsePointInTime(params, this.clock.now());
    const answer = await this.read.answer(at, jurisdictionScope(actor, params.jurisdiction));
    if (wantsCsv(request)) {
      const rows = answer.jurisdictions.flatMap((j) => j.matrix.map((cell) => ({ j, cell })));
      return sendCsv(
        reply,
        'matrix-conformance',
        CSV_COLUMNS,
        (async function* () {
          yield* rows;
        })(),
      );
    }
    return { asOf: at.asOf.toISOString(), knownAt: at.knownAt.toISOString(), ...answer };
  }
}

const CSV_COLUMNS: readonly CsvColumn<{ j: JurisdictionMatrix; cell: MatrixCell }>[] = [
  { header: 'jurisdiction', value: (r) => r.j.jurisdiction },
  { header: 'adoptedVersion', value: (r) => r.j.adoptedVersion },
  { header: 'adoptedFrom', time: true, value: (r) => r.j.adoptedFrom },
  { header: 'role', value: (r) => r.cell.role },
  { header: 'competency', value: (r) => r.cell.competency },
  { header: 'baselineLevel', value: (r) => r.cell.baselineLevel },
  { header: 'level', value: (r) => r.cell.level },
  { header: 'source', value: (r) => r.cell.source },
  { header: 'status', value: (r) => r.cell.status },
];

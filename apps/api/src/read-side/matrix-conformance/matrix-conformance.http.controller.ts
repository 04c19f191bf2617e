import { Inject, Query } from '@nestjs/common';
import { CLOCK, type Clock } from '@cadre/kernel';
import { AuditController } from '../../shared/api-controller.js';
import {
  AuditQueryDto,
  ReadRoute,
  answeredFor,
  jurisdictionScope,
  sendCsv,
  wantsCsv,
  type CsvColumn,
  ReadRequest,
} from '../shared/index.js';
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
@AuditController('matrix')
export class MatrixConformanceHttpController {
  constructor(
    private readonly read: MatrixConformanceReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    csv: true,
    summary: 'Matrix conformance (asOf, knownAt, jurisdiction; Accept: text/csv)',
    ok: object(pointInTime, 'Each jurisdiction’s roles × competencies: required level and conformance'),
  })
  async get(@Query() params: AuditQueryDto, @ReadRequest() read: ReadRequest): Promise<object> {
    const at = parsePointInTime(params, this.clock.now());
    const answer = await this.read.answer(at, jurisdictionScope(read.actor, params.jurisdiction));
    if (wantsCsv(read.request)) {
      const rows = answer.jurisdictions.flatMap((j) => j.matrix.map((cell) => ({ j, cell })));
      return sendCsv(read.reply, 'matrix-conformance', CSV_COLUMNS, rows);
    }
    return { ...answeredFor(at), ...answer };
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

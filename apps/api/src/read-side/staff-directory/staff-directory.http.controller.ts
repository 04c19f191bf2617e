import { AccessLogged } from '../../audit/access-log.js';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@cadre/kernel';
import { CurrentActor, Roles, Problems } from '@cadre/platform';
import {
  StaffDirectoryQueryDto,
  allPages,
  jurisdictionScope,
  sendCsv,
  wantsCsv,
  type CsvColumn,
} from '../shared/index.js';
import {
  InvalidQueryParameterError,
  decodeCursor,
  optionalText,
  pageOf,
  parseLimit,
  readFilters,
  type Page,
  StaffDirectoryQuery,
  directorySortKey,
  type DirectoryRow,
} from '@cadre/read-models';
import { instant, nullableStr, object, page, str } from '../../shared/response.schemas.js';

/** The managers' staff directory: search by name or employeeRef within their jurisdictions. */
@ApiTags('staff')
@ApiBearerAuth()
@AccessLogged('staff-directory')
@Controller('v1/staff')
export class StaffDirectoryHttpController {
  constructor(private readonly directory: StaffDirectoryQuery) {}

  @Get()
  @Roles('manager', 'admin')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Search staff (q, jurisdiction, institution, agency, role, status, cursor, limit; Accept: text/csv)',
    description:
      '`q` matches the name or the employeeRef, case-insensitive. Only the caller\'s jurisdictions (`*`: all); asking for another is 403. Personal data of an erased member reads "erased".',
  })
  @ApiOkResponse({
    description: 'The answer',
    schema: page(
      object({
        staffId: str(),
        name: str(),
        email: nullableStr(),
        employeeRef: nullableStr(),
        agency: str(),
        jurisdiction: str(),
        institution: str(),
        role: str(),
        status: str(),
        registeredAt: instant(),
        leftAt: { ...instant(), nullable: true },
      }),
    ),
  })
  @Problems({ 400: ['QUERY.INVALID_PARAMETER'], 403: ['ACTOR.OUTSIDE_JURISDICTION'] })
  async search(
    @Query() params: StaffDirectoryQueryDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<object> | FastifyReply> {
    const { institution, agency, role } = readFilters(params);
    const status = optionalText(params.status, 'status');
    if (status !== undefined && status !== 'active' && status !== 'left') {
      throw new InvalidQueryParameterError('status', '"active" or "left"');
    }
    const query = {
      scope: jurisdictionScope(actor, params.jurisdiction),
      q: optionalText(params.q, 'q'),
      institution,
      agency,
      role,
      status,
    };
    const after = decodeCursor(params.cursor, 2);
    if (wantsCsv(request)) {
      const rows = allPages((key) => this.directory.page(query, key ?? after, 1000), directorySortKey);
      return sendCsv(reply, 'staff', CSV_COLUMNS, rows);
    }
    const limit = parseLimit(params.limit);
    return pageOf(await this.directory.page(query, after, limit + 1), limit, directorySortKey, directoryItem);
  }
}

const directoryItem = (row: DirectoryRow) => ({
  staffId: row.staff_id,
  name: row.name,
  email: row.email,
  employeeRef: row.employee_ref,
  agency: row.agency,
  jurisdiction: row.jurisdiction,
  institution: row.institution,
  role: row.role,
  status: row.status,
  registeredAt: row.registered_at.toISOString(),
  leftAt: row.left_at?.toISOString() ?? null,
});

const CSV_COLUMNS: readonly CsvColumn<DirectoryRow>[] = [
  { header: 'staffId', value: (r) => r.staff_id },
  { header: 'name', value: (r) => r.name },
  { header: 'email', value: (r) => r.email },
  { header: 'employeeRef', value: (r) => r.employee_ref },
  { header: 'agency', value: (r) => r.agency },
  { header: 'jurisdiction', value: (r) => r.jurisdiction },
  { header: 'institution', value: (r) => r.institution },
  { header: 'role', value: (r) => r.role },
  { header: 'status', value: (r) => r.status },
  { header: 'registeredAt', time: true, value: (r) => r.registered_at },
  { header: 'leftAt', time: true, value: (r) => r.left_at },
];

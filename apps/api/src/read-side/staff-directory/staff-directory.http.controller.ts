import { Query } from '@nestjs/common';
import {
  MANAGERS,
  ReadRoute,
  StaffDirectoryQueryDto,
  jurisdictionScope,
  pageOrCsv,
  type CsvColumn,
  ReadRequest,
} from '../shared/index.js';
import { ApiController } from '../../shared/api-controller.js';
import {
  InvalidQueryParameterError,
  optionalText,
  readFilters,
  StaffDirectoryQuery,
  directorySortKey,
  type DirectoryRow,
} from '@cadre/read-models';
import { instant, nullableStr, object, page, str } from '../../shared/response.schemas.js';

/** The managers' staff directory: search by name or employeeRef within their jurisdictions. */
@ApiController({ tag: 'staff', path: 'v1/staff', accessLogged: 'staff-directory' })
export class StaffDirectoryHttpController {
  constructor(private readonly directory: StaffDirectoryQuery) {}

  @ReadRoute({
    roles: MANAGERS,
    csv: true,
    summary:
      'Search staff (q, jurisdiction, institution, agency, role, status, cursor, limit; Accept: text/csv)',
    description:
      '`q` matches the name or the employeeRef, case-insensitive. Only the caller\'s jurisdictions (`*`: all); asking for another is 403. Personal data of an erased member reads "erased".',
    ok: page(
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
  async search(@Query() params: StaffDirectoryQueryDto, @ReadRequest() read: ReadRequest): Promise<object> {
    const { institution, agency, role } = readFilters(params);
    const status = optionalText(params.status, 'status');
    if (status !== undefined && status !== 'active' && status !== 'left') {
      throw new InvalidQueryParameterError('status', '"active" or "left"');
    }
    const query = {
      scope: jurisdictionScope(read.actor, params.jurisdiction),
      q: optionalText(params.q, 'q'),
      institution,
      agency,
      role,
      status,
    };
    return pageOrCsv(read, params, {
      keyParts: 2,
      fetch: (after, count) => this.directory.page(query, after, count),
      sortKey: directorySortKey,
      item: directoryItem,
      csv: { filename: 'staff', columns: CSV_COLUMNS },
    });
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

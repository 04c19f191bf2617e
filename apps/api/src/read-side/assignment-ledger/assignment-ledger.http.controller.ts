import { Inject, Query } from '@nestjs/common';
import { CLOCK, type Clock } from '@cadre/kernel';
import {
  AssignmentLedgerQueryDto,
  ReadRoute,
  jurisdictionScope,
  pageOrCsv,
  type CsvColumn,
  ReadRequest,
} from '../shared/index.js';
import { AuditController } from '../../shared/api-controller.js';
import {
  optionalText,
  parsePointInTime,
  AssignmentLedgerQuery,
  ledgerSortKey,
  type LedgerRow,
} from '@cadre/read-models';
import { anything, instant, nullableStr, object, page, str } from '../../shared/response.schemas.js';

/**
 * Who assigned whom, when, in which role and on which certifications; overrides with requester
 * and approver; releases — as it stood at `asOf`, as Cadre knew it at `knownAt`.
 */
@AuditController('assignments')
export class AssignmentLedgerHttpController {
  constructor(
    private readonly ledger: AssignmentLedgerQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    csv: true,
    summary: 'The assignment ledger (asOf, knownAt, jurisdiction, team, cursor; Accept: text/csv)',
    ok: page(
      object({
        eventId: str(),
        kind: str(),
        occurredAt: instant(),
        recordedAt: instant(),
        jurisdiction: str(),
        teamId: str(),
        staffId: nullableStr(),
        teamRole: nullableStr(),
        actedBy: nullableStr(),
        override: {
          type: 'object',
          description: 'The override: requester, approver, justification, violations',
          nullable: true,
        },
        qualification: anything('The qualification snapshot'),
        requirementsVersion: nullableStr(),
        reason: nullableStr(),
        correlationId: nullableStr(),
      }),
    ),
  })
  async list(@Query() params: AssignmentLedgerQueryDto, @ReadRequest() read: ReadRequest): Promise<object> {
    const query = {
      ...parsePointInTime(params, this.clock.now()),
      scope: jurisdictionScope(read.actor, params.jurisdiction),
      team: optionalText(params.team, 'team'),
    };
    return pageOrCsv(read, params, {
      keyParts: 2,
      fetch: (after, count) => this.ledger.page(query, after, count),
      sortKey: ledgerSortKey,
      item: ledgerItem,
      csv: { filename: 'assignments', columns: CSV_COLUMNS },
    });
  }
}

const ledgerItem = (row: LedgerRow) => ({
  eventId: row.event_id,
  kind: row.kind,
  occurredAt: row.valid_from.toISOString(),
  recordedAt: row.recorded_at.toISOString(),
  jurisdiction: row.jurisdiction,
  teamId: row.team_id,
  staffId: row.staff_id,
  teamRole: row.team_role,
  actedBy: row.acted_by,
  override:
    row.override_id === null
      ? null
      : {
          overrideId: row.override_id,
          requestedBy: row.requested_by,
          approvedBy: row.approved_by,
          justification: row.justification,
          violations: row.violations,
        },
  qualification: row.qualification,
  requirementsVersion: row.requirements_version,
  reason: row.reason,
  correlationId: row.correlation_id,
});

/** The certifications of a qualification snapshot, one `competency:level:certificationId` each. */
const certifications = (row: LedgerRow): string =>
  Array.isArray(row.qualification)
    ? (row.qualification as { competency: string; level: string | null; certificationId: string | null }[])
        .filter((entry) => entry.certificationId)
        .map((entry) => `${entry.competency}:${entry.level}:${entry.certificationId}`)
        .join('; ')
    : '';

const CSV_COLUMNS: readonly CsvColumn<LedgerRow>[] = [
  { header: 'occurredAt', time: true, value: (r) => r.valid_from },
  { header: 'recordedAt', time: true, value: (r) => r.recorded_at },
  { header: 'jurisdiction', value: (r) => r.jurisdiction },
  { header: 'teamId', value: (r) => r.team_id },
  { header: 'kind', value: (r) => r.kind },
  { header: 'staffId', value: (r) => r.staff_id },
  { header: 'teamRole', value: (r) => r.team_role },
  { header: 'actedBy', value: (r) => r.acted_by },
  { header: 'overrideId', value: (r) => r.override_id },
  { header: 'requestedBy', value: (r) => r.requested_by },
  { header: 'approvedBy', value: (r) => r.approved_by },
  { header: 'justification', value: (r) => r.justification },
  { header: 'certifications', value: certifications },
  { header: 'requirementsVersion', value: (r) => r.requirements_version },
  { header: 'reason', value: (r) => r.reason },
  { header: 'eventId', value: (r) => r.event_id },
];

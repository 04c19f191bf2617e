import { Inject, Param, Query } from '@nestjs/common';
import { CLOCK, type Clock } from '@cadre/kernel';
import { AuditController } from '../../shared/api-controller.js';
import { ResourceNotFoundError } from '../../shared/not-found.error.js';
import {
  READ_PROBLEMS,
  ReadRoute,
  TranscriptQueryDto,
  answeredFor,
  jurisdictionScope,
  pageOrCsv,
  type CsvColumn,
  ReadRequest,
} from '../shared/index.js';
import {
  decodeCursor,
  optionalText,
  parseLimit,
  parsePointInTime,
  StaffTranscriptQuery,
  transcriptSortKey,
  type TranscriptRow,
} from '@cadre/read-models';
import { anything, object, pointInTime, str } from '../../shared/response.schemas.js';

/** A person's trainings and certifications as of a date and as known at a date. */
@AuditController('staff', 'staff-transcript')
export class StaffTranscriptHttpController {
  constructor(
    private readonly transcripts: StaffTranscriptQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    path: ':id/transcript',
    csv: true,
    summary: "A person's transcript (asOf, knownAt, competency, cursor, limit; Accept: text/csv)",
    description:
      "Certifications (status at `asOf`: valid, window-open, expired, suspended, revoked) and trainings (enrolment, attendance, assessment), as Cadre knew them at `knownAt`. 404 for a staff member never registered; 403 outside the caller's jurisdictions.",
    ok: object({
      staffId: str(),
      ...pointInTime,
      member: anything('The person at asOf (null when not known then)'),
    }),
    problems: { ...READ_PROBLEMS, 404: ['STAFF.NOT_FOUND'] },
  })
  async transcript(
    @Param('id') staffId: string,
    @Query() params: TranscriptQueryDto,
    @ReadRequest() read: ReadRequest,
  ): Promise<object> {
    const point = parsePointInTime(params, this.clock.now());
    const competency = optionalText(params.competency, 'competency');
    // The paging parameters are refused (400) before an unknown member is (404), CSV or not.
    decodeCursor(params.cursor, 3);
    parseLimit(params.limit);
    const member = await this.transcripts.member(staffId, point);
    if (!member) throw new ResourceNotFoundError('STAFF.NOT_FOUND', `Staff member ${staffId}`);
    jurisdictionScope(read.actor, member.jurisdiction); // 403 outside the caller's jurisdictions
    const query = { ...point, competency };
    return pageOrCsv(
      read,
      params,
      {
        keyParts: 3,
        fetch: (after, count) => this.transcripts.page(staffId, query, after, count),
        sortKey: transcriptSortKey,
        item: transcriptItem,
        csv: { filename: `transcript-${staffId}`, columns: CSV_COLUMNS },
      },
      {
        staffId,
        ...answeredFor(point),
        member: member.at_point
          ? {
              name: member.name,
              employeeRef: member.employee_ref,
              agency: member.agency,
              jurisdiction: member.jurisdiction,
              institution: member.institution,
              role: member.role,
              status: member.status,
            }
          : null,
      },
    );
  }
}

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

const transcriptItem = (row: TranscriptRow) =>
  row.kind === 'certification'
    ? {
        kind: row.kind,
        certificationId: row.item_key,
        competency: row.competency,
        level: row.level,
        status: row.status,
        validFrom: row.item_date.toISOString(),
        validUntil: iso(row.certified_until),
        windowOpensAt: iso(row.window_opens_at),
        evidence: row.evidence,
        since: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
      }
    : {
        kind: row.kind,
        sessionId: row.session_id,
        programmeId: row.programme_id,
        competencies: row.competencies,
        startsAt: row.item_date.toISOString(),
        endsAt: iso(row.ends_at),
        sessionStatus: row.status,
        enrolment: row.enrolment,
        attendance: row.attendance,
        hours: row.hours,
        result: row.result,
        score: row.score,
        since: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
      };

const CSV_COLUMNS: readonly CsvColumn<TranscriptRow>[] = [
  { header: 'kind', value: (r) => r.kind },
  { header: 'date', time: true, value: (r) => r.item_date },
  { header: 'certificationId', value: (r) => (r.kind === 'certification' ? r.item_key : null) },
  { header: 'competency', value: (r) => r.competency },
  { header: 'level', value: (r) => r.level },
  { header: 'status', value: (r) => r.status },
  { header: 'validUntil', time: true, value: (r) => r.certified_until },
  { header: 'sessionId', value: (r) => r.session_id },
  { header: 'programmeId', value: (r) => r.programme_id },
  { header: 'enrolment', value: (r) => r.enrolment },
  { header: 'attendance', value: (r) => r.attendance },
  { header: 'hours', value: (r) => r.hours },
  { header: 'result', value: (r) => r.result },
  { header: 'score', value: (r) => r.score },
  { header: 'recordedAt', time: true, value: (r) => r.recorded_at },
];

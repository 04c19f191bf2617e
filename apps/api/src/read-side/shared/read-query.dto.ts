import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_PAGE_SIZE } from '@cadre/read-models';

/**
 * The query parameters of the read routes, declared once: the document shows them and the
 * ValidationPipe refuses any other (400 `REQUEST.VALIDATION_FAILED`) and a repeated one. Their
 * values keep being read by the shared parsers (`parseLimit`, `decodeCursor`, `parseInstant`, …),
 * whose 400 `QUERY.INVALID_PARAMETER` names the parameter. The index signature lets those
 * parsers take the DTO as the record of parameters they read.
 */
const text = (description: string, extra: Record<string, unknown> = {}) =>
  ApiPropertyOptional({ type: 'string', description, ...extra });

export class PageQueryDto {
  [parameter: string]: unknown;

  @text('The `nextCursor` of the previous page (opaque)', { maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;

  @text(`Items per page: an integer from 1 to ${MAX_PAGE_SIZE} (default 50)`, {
    pattern: '^\\d{1,4}$',
    example: '50',
  })
  @IsOptional()
  @IsString()
  limit?: string;
}

export class PointInTimeQueryDto {
  [parameter: string]: unknown;

  @text(
    'Business time: what was true then. An ISO 8601 instant with a zone, or a date (the end of that day, UTC); default now',
    { example: '2026-01-31' },
  )
  @IsOptional()
  @IsString()
  asOf?: string;

  @text('Record time: as Cadre knew it then (same forms as `asOf`); default now', { example: '2026-02-01' })
  @IsOptional()
  @IsString()
  knownAt?: string;
}

export class JurisdictionQueryDto {
  [parameter: string]: unknown;

  @text('One of your jurisdictions (default: all of them); another is 403 `ACTOR.OUTSIDE_JURISDICTION`', {
    example: 'AL',
  })
  @IsOptional()
  @IsString()
  jurisdiction?: string;
}

export class ReadFiltersQueryDto {
  [parameter: string]: unknown;

  @text('Only this institution', { maxLength: 200 })
  @IsOptional()
  @IsString()
  institution?: string;

  @text('Only this agency (`prison`, `probation`)', { maxLength: 200 })
  @IsOptional()
  @IsString()
  agency?: string;

  @text('Only this staff role', { maxLength: 200 })
  @IsOptional()
  @IsString()
  role?: string;

  @text('Only this competency', { maxLength: 200 })
  @IsOptional()
  @IsString()
  competency?: string;
}

/** Audit lists: a point in time, a jurisdiction, pages. */
export class AuditPageQueryDto extends IntersectionType(
  PointInTimeQueryDto,
  JurisdictionQueryDto,
  PageQueryDto,
) {}

/** Audit lists with the shared filters. */
export class FilteredAuditPageQueryDto extends IntersectionType(AuditPageQueryDto, ReadFiltersQueryDto) {}

/** Current-state lists of a jurisdiction, in pages. */
export class JurisdictionPageQueryDto extends IntersectionType(JurisdictionQueryDto, PageQueryDto) {}

/** Point-in-time answers of a jurisdiction, not paged. */
export class AuditQueryDto extends IntersectionType(PointInTimeQueryDto, JurisdictionQueryDto) {}

// The query of each read route.

export class ExpiryGapsQueryDto extends IntersectionType(FilteredAuditPageQueryDto) {
  @text('Days ahead of `asOf` that count as expiring: 30, 60 or 90 (default 90)', {
    enum: ['30', '60', '90'],
  })
  @IsOptional()
  @IsString()
  within?: string;
}

export class TranscriptQueryDto extends IntersectionType(PointInTimeQueryDto, PageQueryDto) {
  @text('Only this competency', { maxLength: 200 })
  @IsOptional()
  @IsString()
  competency?: string;
}

export class JointTrainingQueryDto extends IntersectionType(AuditQueryDto) {
  @text('The period before `asOf`, in months: 1 to 120 (default 12)', { pattern: '^\\d{1,3}$' })
  @IsOptional()
  @IsString()
  months?: string;
}

export class SessionListQueryDto extends IntersectionType(JurisdictionPageQueryDto) {
  @text('Sessions starting at or after this instant (or the end of this date, UTC)')
  @IsOptional()
  @IsString()
  from?: string;

  @text('Sessions starting at or before this instant (or the end of this date, UTC)')
  @IsOptional()
  @IsString()
  to?: string;
}

export class AssignmentLedgerQueryDto extends IntersectionType(AuditPageQueryDto) {
  @text('Only this team (its id)', { maxLength: 200 })
  @IsOptional()
  @IsString()
  team?: string;
}

export class LapseInboxQueryDto extends IntersectionType(JurisdictionPageQueryDto) {
  @text('`false`: open lapses only; `true`: acknowledged only (default: both)', { enum: ['true', 'false'] })
  @IsOptional()
  @IsString()
  acknowledged?: string;
}

export class TeamListQueryDto extends IntersectionType(JurisdictionPageQueryDto) {
  @text('Only teams in this status', { enum: ['forming', 'operational', 'dissolved'] })
  @IsOptional()
  @IsString()
  status?: string;
}

export class StaffDirectoryQueryDto extends IntersectionType(JurisdictionPageQueryDto, ReadFiltersQueryDto) {
  @text('Matches the name or the employeeRef, case-insensitive', { maxLength: 200 })
  @IsOptional()
  @IsString()
  q?: string;

  @text('Only staff in this status', { enum: ['active', 'left'] })
  @IsOptional()
  @IsString()
  status?: string;
}

/** The feed's query: `after` a cursor, `limit`, and `wait` for a long poll. */
export class FeedQueryDto {
  [parameter: string]: unknown;

  @text(
    'Resume after this cursor: the `Cadre-Next-Cursor` header or the last event’s `sequence` (default: the beginning)',
  )
  @IsOptional()
  @IsString()
  after?: string;

  @text('Events per batch: 1 to 1000 (default 100)', { pattern: '^\\d+$' })
  @IsOptional()
  @IsString()
  limit?: string;

  @text('Seconds an empty batch waits for the next event: 0 to 30 (default 0)', { pattern: '^\\d+$' })
  @IsOptional()
  @IsString()
  wait?: string;
}

/** The stream's query: where to start when no `Last-Event-ID` is sent. */
export class FeedStreamQueryDto {
  [parameter: string]: unknown;

  @text('Start after this cursor, when no `Last-Event-ID` header is sent')
  @IsOptional()
  @IsString()
  after?: string;
}

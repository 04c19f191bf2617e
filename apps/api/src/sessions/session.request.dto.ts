import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PlainText } from '@cadre/platform';
import { AGENCIES, type Agency, type AssessmentResult, type Attendance } from '@cadre/domain';
import { BackdatableRequestDto } from '../shared/backdatable.request.dto.js';

const JURISDICTION = /^(?:[A-Z][A-Z0-9-]{1,15})$/;
const STAFF_ID_EXAMPLE = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

export class ScheduleSessionRequestDto extends BackdatableRequestDto {
  @ApiProperty({ format: 'uuid', example: '2b7e4c1a-8d3f-4e6b-9a1c-5d7f3e2b1a90' })
  @IsUUID()
  programmeId!: string;

  @ApiProperty({ example: '2026-12-07T08:00:00Z', description: 'ISO 8601 instant, UTC' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2026-12-08T16:00:00Z', description: 'After startsAt' })
  @IsISO8601({ strict: true })
  endsAt!: string;

  @ApiProperty({ example: 'Training centre, Tirana', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  location!: string;

  @ApiProperty({ example: ['AL'], description: 'Jurisdiction codes the session is open to' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(JURISDICTION, { each: true, message: 'each of $property must be a jurisdiction code (e.g. AL)' })
  jurisdictions!: string[];

  @ApiProperty({ enum: AGENCIES, isArray: true, example: ['prison', 'probation'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(AGENCIES.length)
  @IsIn(AGENCIES, { each: true })
  agencies!: Agency[];

  @ApiProperty({
    example: [STAFF_ID_EXAMPLE],
    description: 'Staff ids; each holds a valid trainer-level certification of what the session teaches',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID(undefined, { each: true })
  trainers!: string[];

  @ApiProperty({ example: 20, minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity!: number;
}

export class ParticipantRequestDto extends BackdatableRequestDto {
  @ApiProperty({ format: 'uuid', example: STAFF_ID_EXAMPLE })
  @IsUUID()
  staffId!: string;
}

/** `reason` (optional) says why the participant withdrew. */
export class WithdrawParticipantRequestDto extends BackdatableRequestDto {}

export class RecordAttendanceRequestDto extends ParticipantRequestDto {
  @ApiProperty({ enum: ['present', 'partial', 'absent'], example: 'present' })
  @IsIn(['present', 'partial', 'absent'])
  attendance!: Attendance;

  @ApiProperty({ example: 16, minimum: 0, maximum: 500, description: '0 when absent' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(500)
  hours!: number;
}

export class RecordAssessmentRequestDto extends ParticipantRequestDto {
  @ApiProperty({ enum: ['passed', 'failed'], example: 'passed' })
  @IsIn(['passed', 'failed'])
  result!: AssessmentResult;

  @ApiPropertyOptional({ example: 82, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score?: number;
}

export class CloseSessionRequestDto extends BackdatableRequestDto {}

/**
 * Replaces one trainer of the session by another from now on (or `occurredAt`); `reason`
 * (optional) says why and is kept on the event.
 */
export class ReplaceSessionTrainerRequestDto extends BackdatableRequestDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The staff id of the trainer who stops delivering the session',
  })
  @IsUUID()
  replace!: string;

  @ApiProperty({
    format: 'uuid',
    description:
      'The staff id of the trainer who takes over: judged as at scheduling (a valid trainer-level certification of each competency taught, on every session day, not departed, not a participant)',
  })
  @IsUUID()
  with!: string;
}

/** `reason` is required: why the session was cancelled. */
export class CancelSessionRequestDto extends BackdatableRequestDto {}

import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsISO8601,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PlainText } from '@cadre/platform';
import { LEVELS, type Level } from '@cadre/domain';
import { BackdatableRequestDto } from '../shared/backdatable.request.dto.js';
import { CODE } from '../shared/codes.js';
import { CODE_MESSAGE } from './staff.request.dto.js';

/** Evidence of an award made outside Cadre: who issued it and their reference for it. */
export class ExternalEvidenceDto {
  @ApiProperty({ example: 'Council of Europe HELP programme' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  issuer!: string;

  @ApiProperty({ example: 'HELP-2026-00042' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  reference!: string;
}

class ExternalAwardDto extends BackdatableRequestDto {
  @ApiProperty({
    example: '2026-02-01T00:00:00Z',
    description:
      "When the certification starts (not in the future). validUntil is never sent: the framework the member's jurisdiction had adopted then gives it.",
  })
  @IsISO8601({ strict: true })
  validFrom!: string;

  @ApiProperty({ type: ExternalEvidenceDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ExternalEvidenceDto)
  evidence!: ExternalEvidenceDto;
}

export class AwardCertificationRequestDto extends ExternalAwardDto {
  @ApiProperty({ example: 'dynamic-security' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  competency!: string;

  @ApiProperty({ enum: LEVELS, example: 'awareness' })
  @IsIn(LEVELS)
  level!: Level;
}

/** A new external award of the same competency and level, while the certification is valid. */
export class RenewCertificationRequestDto extends ExternalAwardDto {}

/** Suspension and revocation: `reason` is required (400 COMMAND.FIELD_REQUIRED without it). */
export class CertificationDecisionRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'Under investigation for misconduct', maxLength: 1000 })
  declare reason?: string;
}

export class ReinstateCertificationRequestDto extends BackdatableRequestDto {}

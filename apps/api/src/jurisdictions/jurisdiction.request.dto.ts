import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { LEVELS, type Level } from '@cadre/domain';
import { BackdatableRequestDto } from '../shared/backdatable.request.dto.js';
import { CODE, codeMessage } from '../shared/codes.js';

/** `dryRun: true`: answer who would lapse at `effectiveFrom` (200), writing nothing. */
class RuleChangeRequestDto extends BackdatableRequestDto {
  @ApiPropertyOptional({
    description:
      'true: decide the change and answer who would lapse at effectiveFrom ({dryRun, jurisdiction, effectiveFrom, wouldLapse: [{teamId, teamName, staffId, teamRole, cause, unmet, detail}]}, 200), writing nothing',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
const CODE_MESSAGE = codeMessage();

export class AdoptFrameworkRequestDto extends RuleChangeRequestDto {
  @ApiProperty({ example: 'v1', description: 'A published framework version' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { message: 'version must be a framework version label' })
  version!: string;

  @ApiProperty({
    example: '2026-01-01T00:00:00Z',
    description:
      'From when the version is in force here (ISO 8601, UTC), after the latest adoption. A version published before the one in force needs a `reason`.',
  })
  @IsISO8601({ strict: true })
  effectiveFrom!: string;
}

export class AddJurisdictionRequirementRequestDto extends RuleChangeRequestDto {
  @ApiProperty({ example: 'probation-officer' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  role!: string;

  @ApiProperty({ example: 'radicalisation-awareness' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  competency!: string;

  @ApiProperty({ enum: LEVELS, example: 'expert' })
  @IsIn(LEVELS)
  minLevel!: Level;

  @ApiPropertyOptional({
    example: '2026-03-01T00:00:00Z',
    description:
      'Default: the business time of the command. More than 24 h in the past needs a `reason`, kept on the event.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveFrom?: string;
}

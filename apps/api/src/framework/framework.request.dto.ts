import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PlainText } from '@cadre/platform';
import { LEVELS, type Level } from '@cadre/domain';
import { BackdatableRequestDto } from '../shared/backdatable.request.dto.js';
import { CODE, codeMessage } from '../shared/codes.js';

const CODE_MESSAGE = codeMessage('dynamic-security');

export class DraftFrameworkRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'v1', description: 'The version label: letters, digits, . _ -' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, {
    message: 'version must be 1 to 32 letters, digits, ".", "_" or "-"',
  })
  version!: string;

  @ApiProperty({ example: 'Regional training framework matrix (sample)' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  title!: string;
}

export class DefineRoleRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'probation-officer' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  role!: string;

  @ApiProperty({ example: 'Probation officer' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  title!: string;
}

export class LevelPolicyDto {
  @ApiProperty({ example: 24, minimum: 1, maximum: 240 })
  @IsInt()
  @Min(1)
  @Max(240)
  validityMonths!: number;

  @ApiProperty({ example: 60, minimum: 0, maximum: 3650 })
  @IsInt()
  @Min(0)
  @Max(3650)
  recertificationWindowDays!: number;
}

export class CompetencyLevelsDto {
  @ApiPropertyOptional({ type: LevelPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LevelPolicyDto)
  awareness?: LevelPolicyDto;

  @ApiPropertyOptional({ type: LevelPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LevelPolicyDto)
  specialised?: LevelPolicyDto;

  @ApiPropertyOptional({ type: LevelPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LevelPolicyDto)
  expert?: LevelPolicyDto;

  @ApiPropertyOptional({ type: LevelPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LevelPolicyDto)
  trainer?: LevelPolicyDto;
}

export class DefineCompetencyRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'dynamic-security' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  competency!: string;

  @ApiProperty({ example: 'Dynamic security' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  title!: string;

  @ApiProperty({
    type: CompetencyLevelsDto,
    description: 'Validity and recertification window per level it is certified at',
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CompetencyLevelsDto)
  levels!: CompetencyLevelsDto;
}

export class DefineRequirementRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'probation-officer' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  role!: string;

  @ApiProperty({ example: 'dynamic-security' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  competency!: string;

  @ApiProperty({ enum: LEVELS, example: 'specialised' })
  @IsIn(LEVELS)
  minLevel!: Level;
}

export class RetireFrameworkRequestDto extends BackdatableRequestDto {}
export class PublishFrameworkRequestDto extends BackdatableRequestDto {}

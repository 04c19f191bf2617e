import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
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
import { LEVELS, PROGRAMME_KINDS, type Level, type ProgrammeKind } from '@cadre/domain';
import { BackdatableRequestDto } from '../shared/backdatable.request.dto.js';
import { CODE, codeMessage } from '../shared/codes.js';

const CODE_MESSAGE = codeMessage('dynamic-security');
/** `*` (regional) or a jurisdiction code. */
const SCOPE = /^(\*|[A-Z][A-Z0-9-]{1,15})$/;

export class GrantedCompetencyDto {
  @ApiProperty({ example: 'radicalisation-awareness' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  competency!: string;

  @ApiProperty({ enum: LEVELS, example: 'awareness', description: 'The level granted to those who pass' })
  @IsIn(LEVELS)
  level!: Level;
}

export class DefineProgrammeRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'Radicalisation awareness for front-line staff', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  title!: string;

  @ApiProperty({ type: [GrantedCompetencyDto], description: 'Each competency granted, at one level' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GrantedCompetencyDto)
  competencies!: GrantedCompetencyDto[];

  @ApiProperty({ enum: PROGRAMME_KINDS, example: 'awareness' })
  @IsIn(PROGRAMME_KINDS)
  kind!: ProgrammeKind;

  @ApiProperty({ example: 16, minimum: 0.5, maximum: 500 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(500)
  hours!: number;

  @ApiProperty({ example: 'Blended: e-learning module, then a two-day workshop with case studies' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(2000)
  methodology!: string;

  @ApiPropertyOptional({
    example: 'AL',
    description:
      'Who may revise or retire the programme: `*` (regional) or a jurisdiction you coordinate. By default `*` if you hold it, else your one jurisdiction (required if you hold several).',
  })
  @IsOptional()
  @IsString()
  @Matches(SCOPE, { message: 'scope must be "*" or a jurisdiction code (e.g. AL)' })
  scope?: string;
}

/** Fields left out keep their current value. */
export class ReviseProgrammeRequestDto extends BackdatableRequestDto {
  @ApiPropertyOptional({ example: 'Radicalisation awareness (revised)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ type: [GrantedCompetencyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GrantedCompetencyDto)
  competencies?: GrantedCompetencyDto[];

  @ApiPropertyOptional({ enum: PROGRAMME_KINDS, example: 'specialised' })
  @IsOptional()
  @IsIn(PROGRAMME_KINDS)
  kind?: ProgrammeKind;

  @ApiPropertyOptional({ example: 24, minimum: 0.5, maximum: 500 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(500)
  hours?: number;

  @ApiPropertyOptional({ example: 'Three-day workshop' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(2000)
  methodology?: string;
}

/** `reason` (optional) says why the programme is retired. */
export class RetireProgrammeRequestDto extends BackdatableRequestDto {}

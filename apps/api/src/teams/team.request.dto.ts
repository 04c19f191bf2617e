import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PlainText } from '@cadre/platform';
import { TEAM_KINDS, type TeamKind } from '@cadre/domain';
import { BackdatableRequestDto } from '../shared/backdatable.request.dto.js';
import { CODE, codeMessage } from '../shared/codes.js';

const CODE_MESSAGE = codeMessage('psychologist', 'role code');
/**
 * A team role code, validated as the assignment validates it: the eligibility query reads its
 * `teamRole` with this too, so a malformed one is the same 400 on both routes.
 */
export const TeamRoleCode = (): PropertyDecorator =>
  applyDecorators(IsString(), Matches(CODE, { message: CODE_MESSAGE }));

const STAFF_ID_EXAMPLE = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

export class RequiredDisciplineDto {
  @ApiProperty({ example: 'psychologist' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  role!: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: 50 })
  @IsInt()
  @Min(1)
  @Max(50)
  minCount!: number;
}

export class FormTeamRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'MDT Tirana — case 2026-114', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'AL', description: 'The jurisdiction whose managers decide who serves' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9-]{1,15}$/, { message: 'jurisdiction must be a jurisdiction code (e.g. AL)' })
  jurisdiction!: string;

  @ApiProperty({ example: ['Prison Tirana 313', 'Probation office Tirana'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @PlainText({ each: true })
  @MaxLength(200, { each: true })
  institutions!: string[];

  @ApiProperty({ enum: TEAM_KINDS, example: 'joint', description: 'A joint team needs both agencies' })
  @IsIn(TEAM_KINDS)
  kind!: TeamKind;

  @ApiProperty({
    example: 'CASE-2026-114',
    description: 'An opaque reference from the case system: never the prisoner’s data',
  })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(100)
  caseRef!: string;

  @ApiProperty({ type: [RequiredDisciplineDto], description: 'Roles the team needs, with minimum counts' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RequiredDisciplineDto)
  requiredDisciplines!: RequiredDisciplineDto[];
}

export class OverrideRequestDto {
  @ApiProperty({
    example: 'Only Arabic-speaking psychologist in the region; certification course booked for March.',
    maxLength: 2000,
  })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(2000)
  justification!: string;
}

export class AssignMemberRequestDto extends BackdatableRequestDto {
  @ApiProperty({ format: 'uuid', example: STAFF_ID_EXAMPLE })
  @IsUUID()
  staffId!: string;

  @ApiProperty({ example: 'psychologist', description: 'A role of the framework in force' })
  @TeamRoleCode()
  teamRole!: string;

  @ApiPropertyOptional({
    type: OverrideRequestDto,
    description:
      'For a member who does not meet every requirement: puts the assignment to a second manager (202, pending) instead of refusing it',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OverrideRequestDto)
  override?: OverrideRequestDto;
}

export class StaffRefRequestDto extends BackdatableRequestDto {
  @ApiProperty({ format: 'uuid', example: STAFF_ID_EXAMPLE })
  @IsUUID()
  staffId!: string;
}

export class TeamDecisionRequestDto extends BackdatableRequestDto {}

/** `reason` is required: why (a release, a rejected override, a dissolution). */
export class ReasonedTeamRequestDto extends BackdatableRequestDto {}

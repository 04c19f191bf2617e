import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PlainText } from '@cadre/platform';
import { AGENCIES, type Agency } from '@cadre/domain';
import { BackdatableRequestDto } from '../shared/backdatable.request.dto.js';
import { CODE, codeMessage } from '../shared/codes.js';

export const CODE_MESSAGE = codeMessage('probation-officer');
const JURISDICTION = /^[A-Z][A-Z0-9-]{1,15}$/;
const JURISDICTION_MESSAGE = '$property must be a jurisdiction code in capitals (e.g. "AL")';

export class RegisterStaffRequestDto extends BackdatableRequestDto {
  @ApiProperty({ enum: AGENCIES, example: 'probation' })
  @IsIn(AGENCIES)
  agency!: Agency;

  @ApiProperty({ example: 'AL', description: 'The jurisdiction the member serves in' })
  @IsString()
  @Matches(JURISDICTION, { message: JURISDICTION_MESSAGE })
  jurisdiction!: string;

  @ApiProperty({ example: 'Tirana probation office' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  institution!: string;

  @ApiProperty({ example: 'probation-officer', description: 'A role of the framework in force' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  role!: string;

  @ApiProperty({ example: 'Ana Hoxha', description: 'Personal data: sealed, never stored in clear' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'ana.hoxha@example.org', description: 'Personal data: sealed' })
  @IsEmail()
  @PlainText()
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    example: 'AL-PRB-0042',
    description: 'Personal data: sealed; unique within the jurisdiction (409 STAFF.EMPLOYEE_REF_TAKEN)',
  })
  @IsString()
  @Matches(/^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/, {
    message: 'employeeRef must be 1 to 64 printable ASCII characters',
  })
  employeeRef!: string;
}

export class TransferStaffRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'Durrës probation office' })
  @IsString()
  @MinLength(1)
  @PlainText()
  @MaxLength(200)
  institution!: string;

  @ApiPropertyOptional({ example: 'AL', description: 'Default: the current jurisdiction' })
  @IsOptional()
  @IsString()
  @Matches(JURISDICTION, { message: JURISDICTION_MESSAGE })
  jurisdiction?: string;

  @ApiPropertyOptional({ enum: AGENCIES, description: 'Default: the current agency' })
  @IsOptional()
  @IsIn(AGENCIES)
  agency?: Agency;
}

export class ChangeStaffRoleRequestDto extends BackdatableRequestDto {
  @ApiProperty({ example: 'psychologist', description: 'A role of the framework in force' })
  @IsString()
  @Matches(CODE, { message: CODE_MESSAGE })
  role!: string;
}

export class RecordDepartureRequestDto extends BackdatableRequestDto {}

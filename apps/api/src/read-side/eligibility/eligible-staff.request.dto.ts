import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { TeamRoleCode } from '../../teams/team.request.dto.js';
import { MAX_PAGE_SIZE } from '@cadre/read-models';

/** The query of `GET /v1/teams/{id}/eligible-staff`. */
export class EligibleStaffQueryDto {
  @ApiProperty({
    example: 'psychologist',
    description:
      'The team role to judge for: a role code as `POST /v1/teams/{id}/members` takes it (400 when malformed; 422 `TEAM.UNKNOWN_ROLE` when the framework in force does not define it)',
  })
  @TeamRoleCode()
  teamRole!: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '`true`: only the staff who could be assigned now (default: everyone, eligible first)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  eligible?: 'true' | 'false';

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({
    description:
      'The `nextCursor` of the previous page: opaque, it names the last item returned (eligible, name, staffId); the next page starts after it in that order',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

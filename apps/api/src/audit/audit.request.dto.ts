import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class StreamEventsQueryDto {
  @ApiPropertyOptional({ description: 'First revision returned (default 0)', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromRevision?: number;

  @ApiPropertyOptional({
    description: 'Most events returned (default 100, at most 1000)',
    minimum: 1,
    maximum: 1000,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class IntegrityQueryDto {
  @ApiPropertyOptional({
    description: 'The stream to verify (every stream: `npm run cadre -- integrity:verify`)',
    example: 'staff-4f6c…',
  })
  @IsString()
  @MaxLength(300)
  @Matches(/^[A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9_.:@$-]{1,250}$/, {
    message: 'stream must be a stream name such as "staff-<id>"',
  })
  stream!: string;
}

export class AccessLogQueryDto {
  @ApiPropertyOptional({ description: "Entries older than this id (the previous page's last id)" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @ApiPropertyOptional({ description: 'Only the reads of this token subject' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { CommandMetadata } from '@cadre/domain';

/**
 * Fields every command body may carry: the business time of the fact (default: now) and, when it
 * is back-dated by more than 24 h or corrects a record, the reason.
 */
export class BackdatableRequestDto {
  @ApiPropertyOptional({
    description: 'When it happened (ISO 8601, UTC). Default: now.',
    example: '2026-03-01T09:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  @ApiPropertyOptional({
    description: 'Why: required when occurredAt is more than 24 h in the past.',
    maxLength: 1000,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason?: string;
}

export function commandMetadata(dto: BackdatableRequestDto): CommandMetadata | undefined {
  if (dto.occurredAt === undefined && dto.reason === undefined) return undefined;
  return { occurredAt: dto.occurredAt, reason: dto.reason };
}

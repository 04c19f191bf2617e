import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PlainText } from '@cadre/platform';
import type { CommandMetadata, DomainCommand } from '@cadre/domain';

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
  @PlainText()
  @MaxLength(1000)
  reason?: string;
}

export function commandMetadata(dto: BackdatableRequestDto): CommandMetadata | undefined {
  if (dto.occurredAt === undefined && dto.reason === undefined) return undefined;
  return { occurredAt: dto.occurredAt, reason: dto.reason };
}

/**
 * The command builder of one aggregate: `commandsOf<TeamCommand>()('DissolveTeam', data, body)` is
 * that command with its data (checked against the command of that type) and the business time and
 * reason the route's body carries.
 */
export const commandsOf =
  <Command extends DomainCommand>() =>
  <Type extends Command['type']>(
    type: Type,
    data: Extract<Command, { type: Type }>['data'],
    body: BackdatableRequestDto,
  ): Extract<Command, { type: Type }> =>
    ({ type, data, metadata: commandMetadata(body) }) as Extract<Command, { type: Type }>;

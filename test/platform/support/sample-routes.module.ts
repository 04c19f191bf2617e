import { Body, Controller, Get, Inject, Module, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { CadreError, type Actor } from '@cadre/kernel';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { CurrentActor, Roles } from '@cadre/platform';

class TagDto {
  @IsString()
  @MaxLength(10)
  label!: string;
}

class SampleDto {
  @IsString()
  @MaxLength(20)
  name!: string;

  @IsInt()
  @Min(0)
  count!: number;

  @ValidateNested({ each: true })
  @Type(() => TagDto)
  tags: TagDto[] = [];
}

class NotQualifiedError extends CadreError {
  readonly category = 'rule' as const;
}

/** Routes that exercise the platform the way feature routes will. */
@Roles('manager')
@Controller('sample')
class SampleController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Post()
  create(@Body() body: SampleDto, @CurrentActor() actor: Actor) {
    return { body, actor, isDto: body instanceof SampleDto };
  }

  @Get('refusal')
  refuse(): never {
    throw new NotQualifiedError(
      'TEAM.MEMBER_NOT_QUALIFIED',
      'Alice does not hold the risk assessment competency.',
      {
        violations: [{ role: 'lead', competency: 'risk-assessment', requiredLevel: 2, held: null }],
      },
    );
  }

  @Get('bug')
  bug(): never {
    throw new TypeError('cannot read properties of undefined (internal detail)');
  }

  @Post('events')
  async append(@CurrentActor() actor: Actor) {
    return this.store.append(`sample-${randomUUID()}`, [
      {
        eventId: randomUUID(),
        type: 'SampleRecorded',
        data: { ok: true },
        metadata: {
          correlationId: randomUUID(),
          causationId: null,
          actor,
          occurredAt: new Date().toISOString(),
          schemaVersion: 1,
        },
      },
    ]);
  }

  @Roles('auditor')
  @Get('audit')
  audit() {
    return { ok: true };
  }
}

@Module({ controllers: [SampleController] })
export class SampleRoutesModule {}

@Controller('forgotten')
class ForgottenController {
  @Get()
  undeclared() {
    return { ok: true };
  }
}

/** A route that declares neither roles nor @Public(): the app must refuse to start. */
@Module({ controllers: [ForgottenController] })
export class UndeclaredRouteModule {}

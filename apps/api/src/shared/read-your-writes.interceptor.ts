import {
  Inject,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { from, mergeMap, type Observable } from 'rxjs';
import { CadreError } from '@cadre/kernel';
import { EVENT_STORE, InvalidPositionError, type EventStore } from '@cadre/event-store';
import { filterOf, firstAfter, readCheckpoint, type Projection } from '@cadre/subscriptions';
import { PROJECTIONS, READ_MODEL_POOL } from '@cadre/subscriptions/nest';

const READ_MODELS_OF_ROUTE = 'cadre:read-models';

/** The projections a query route reads: `?minPosition=` waits for these (for all when absent). */
export const ReadsProjections = (...names: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(READ_MODELS_OF_ROUTE, names);

/** How long a query waits for its projections to reach `minPosition`. */
export const MIN_POSITION_WAIT_MS = 5000;

class ProjectionBehindError extends CadreError {
  readonly category = 'unavailable' as const;
  constructor(position: string, behind: readonly string[]) {
    super(
      'READ_MODEL.NOT_YET_AT_POSITION',
      `The read model has not yet caught up with position ${position} (${behind.join(', ')}); retry shortly.`,
      { minPosition: position, projections: behind },
    );
  }
}

class InvalidMinPositionError extends CadreError {
  readonly category = 'validation' as const;
  constructor(value: string) {
    super(
      'REQUEST.INVALID_MIN_POSITION',
      `minPosition "${value.slice(0, 60)}" is not a position returned by a command.`,
      {
        parameter: 'minPosition',
      },
    );
  }
}

/**
 * Read-your-writes: a GET with `?minPosition=<the position a command returned>` waits (up to
 * 5 s) until the projections it reads have applied everything up to that position, then answers;
 * past that it answers 503 with Retry-After. A projection is there when its checkpoint is at or
 * past the position, or when no event it handles lies between its checkpoint and the position.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_POOL) private readonly pool: pg.Pool,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const query = request.query as Record<string, unknown> | undefined;
    const raw = query?.minPosition;
    if (request.method !== 'GET' || raw === undefined) return next.handle();
    if (typeof raw !== 'string') throw new InvalidMinPositionError(String(raw));
    let position: string;
    try {
      position = this.store.parsePosition(raw);
    } catch (error) {
      if (error instanceof InvalidPositionError) throw new InvalidMinPositionError(raw);
      throw error;
    }
    delete (query as Record<string, unknown>).minPosition;
    const names = this.reflector.getAllAndOverride<string[] | undefined>(READ_MODELS_OF_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const chosen = names ? this.projections.filter((p) => names.includes(p.name)) : this.projections;
    return from(this.waitFor(chosen, position)).pipe(mergeMap(() => next.handle()));
  }

  private async waitFor(projections: readonly Projection[], position: string): Promise<void> {
    const deadline = Date.now() + MIN_POSITION_WAIT_MS;
    let pending = [...projections];
    for (;;) {
      const reached = await Promise.all(pending.map((projection) => this.reached(projection, position)));
      pending = pending.filter((_, i) => !reached[i]);
      if (pending.length === 0) return;
      if (Date.now() >= deadline)
        throw new ProjectionBehindError(
          position,
          pending.map((p) => p.name),
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async reached(projection: Projection, position: string): Promise<boolean> {
    const checkpoint = (await readCheckpoint(this.pool, projection.name).catch(() => null))?.position ?? null;
    if (checkpoint !== null && this.store.comparePositions(checkpoint, position) >= 0) return true;
    // Until the log lets readers see the position, no projection can have read up to it.
    const head = await this.store.headPosition();
    if (head === null || this.store.comparePositions(head, position) < 0) return false;
    const first = await firstAfter(this.store, checkpoint, filterOf(projection.handles));
    return first === null || this.store.comparePositions(first.position, position) > 0;
  }
}

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
import type { Actor } from '@cadre/kernel';
import { READ_MODEL_POOL } from '@cadre/subscriptions/nest';

const ACCESS_LOGGED = 'cadre:access-logged';

/** Marks a read of staff records or audit data: who read what, and when, is recorded before it is answered. */
export const AccessLogged = (subject: string): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_LOGGED, subject);

const SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS cadre_audit;
CREATE TABLE IF NOT EXISTS cadre_audit.access_log (
  id              bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  actor_sub       text NOT NULL,
  actor_roles     text[] NOT NULL,
  subject         text NOT NULL,
  method          text NOT NULL,
  path            text NOT NULL,
  query           json,
  correlation_id  text NOT NULL
);
ALTER TABLE cadre_audit.access_log ADD COLUMN IF NOT EXISTS parameters text[];
-- Values are never kept (a search term names a person): rows written before keep their names only.
UPDATE cadre_audit.access_log
   SET parameters = ARRAY(SELECT json_object_keys(query) ORDER BY 1), query = NULL
 WHERE query IS NOT NULL AND json_typeof(query) = 'object';
UPDATE cadre_audit.access_log SET query = NULL WHERE query IS NOT NULL;`;

export interface AccessLogEntry {
  readonly id: string;
  readonly at: string;
  readonly actorSub: string;
  readonly actorRoles: readonly string[];
  readonly subject: string;
  readonly method: string;
  readonly path: string;
  /** The names of the query parameters the read was asked with; never their values. */
  readonly parameters: readonly string[];
  readonly correlationId: string;
}

@Injectable()
export class AccessLog {
  private ready: Promise<unknown> | null = null;

  constructor(@Inject(READ_MODEL_POOL) private readonly pool: pg.Pool) {}

  async record(actor: Actor, subject: string, request: FastifyRequest): Promise<void> {
    await this.schema();
    await this.pool.query(
      `INSERT INTO cadre_audit.access_log (actor_sub, actor_roles, subject, method, path, parameters, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        actor.sub,
        actor.roles,
        subject,
        request.method,
        request.url.split('?')[0],
        Object.keys((request.query as Record<string, unknown> | undefined) ?? {}).sort(),
        String(request.id),
      ],
    );
  }

  async list(options: { before?: number; limit: number; actor?: string }): Promise<AccessLogEntry[]> {
    await this.schema();
    const { rows } = await this.pool.query<{
      id: string;
      at: Date;
      actor_sub: string;
      actor_roles: string[];
      subject: string;
      method: string;
      path: string;
      parameters: string[] | null;
      correlation_id: string;
    }>(
      `SELECT * FROM cadre_audit.access_log
        WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR actor_sub = $2)
        ORDER BY id DESC LIMIT $3`,
      [options.before ?? null, options.actor ?? null, options.limit],
    );
    return rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actorSub: row.actor_sub,
      actorRoles: row.actor_roles,
      subject: row.subject,
      method: row.method,
      path: row.path,
      parameters: row.parameters ?? [],
      correlationId: row.correlation_id,
    }));
  }

  private schema(): Promise<unknown> {
    this.ready ??= this.pool.query(SCHEMA_SQL).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }
}

/** Records reads of routes marked {@link AccessLogged} (after authorisation, before the answer). */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly log: AccessLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const subject = this.reflector.getAllAndOverride<string | undefined>(ACCESS_LOGGED, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    if (!subject || !request.actor) return next.handle();
    const actor = request.actor;
    return from(this.log.record(actor, subject, request)).pipe(mergeMap(() => next.handle()));
  }
}

import {
  Inject,
  Injectable,
  SetMetadata,
  StreamableFile,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import type { Actor } from '@cadre/kernel';
import { PINO_LOGGER } from '@cadre/platform';
import { READ_MODEL_POOL } from '@cadre/subscriptions/nest';
import { CsvExport } from '../read-side/shared/csv.js';
import { ReturnedRecords, type ReturnedRecordsSummary } from './returned-records.js';

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
-- The records an answer gave (returned-records.ts); NULL while not known: no answer, an export
-- still streaming, or a row from before they were recorded.
ALTER TABLE cadre_audit.access_log ADD COLUMN IF NOT EXISTS returned_count int;
ALTER TABLE cadre_audit.access_log ADD COLUMN IF NOT EXISTS staff_ids text[];
ALTER TABLE cadre_audit.access_log ADD COLUMN IF NOT EXISTS team_ids text[];
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
  /** The staff members and teams the answer gave; null when it gave none (refused, failed) or is not known yet. */
  readonly returned: ReturnedRecordsSummary | null;
  readonly correlationId: string;
}

@Injectable()
export class AccessLog {
  private ready: Promise<unknown> | null = null;

  constructor(@Inject(READ_MODEL_POOL) private readonly pool: pg.Pool) {}

  /** Records a read, with the records its answer gave when known; returns the entry's id. */
  async record(
    actor: Actor,
    subject: string,
    request: FastifyRequest,
    returned: ReturnedRecordsSummary | null,
  ): Promise<string> {
    await this.schema();
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO cadre_audit.access_log
         (actor_sub, actor_roles, subject, method, path, parameters, correlation_id, returned_count, staff_ids, team_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        actor.sub,
        actor.roles,
        subject,
        request.method,
        request.url.split('?')[0],
        Object.keys((request.query as Record<string, unknown> | undefined) ?? {}).sort(),
        String(request.id),
        returned?.count ?? null,
        returned?.staffIds ?? null,
        returned?.teamIds ?? null,
      ],
    );
    return rows[0]!.id;
  }

  /** Completes an entry recorded before its answer's records were known (an export, once streamed). */
  async completeWith(id: string, returned: ReturnedRecordsSummary): Promise<void> {
    await this.pool.query(
      'UPDATE cadre_audit.access_log SET returned_count = $2, staff_ids = $3, team_ids = $4 WHERE id = $1',
      [id, returned.count, returned.staffIds, returned.teamIds],
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
      returned_count: number | null;
      staff_ids: string[] | null;
      team_ids: string[] | null;
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
      returned:
        row.returned_count === null
          ? null
          : { count: row.returned_count, staffIds: row.staff_ids ?? [], teamIds: row.team_ids ?? [] },
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

/**
 * Records reads of routes marked {@link AccessLogged}, with the staff members and teams each
 * answer gave, before it is answered (a read that cannot be recorded is not answered). A refused
 * or failed read is recorded too, as giving nothing. An export is recorded before it streams, and
 * its records once it has streamed them.
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly log: AccessLog,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const subject = this.reflector.getAllAndOverride<string | undefined>(ACCESS_LOGGED, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    if (!subject || !request.actor) return next.handle();
    const actor = request.actor;
    return next.handle().pipe(
      mergeMap(async (answer: unknown) => {
        if (!(answer instanceof StreamableFile)) {
          await this.log.record(actor, subject, request, new ReturnedRecords().note(answer).summary());
          return answer;
        }
        const id = await this.log.record(actor, subject, request, null);
        if (answer instanceof CsvExport) {
          void answer.finished
            .then(() => this.log.completeWith(id, answer.returned.summary()))
            .catch((error: unknown) =>
              this.logger.error({ err: error, accessLogId: id }, 'could not record what an export gave'),
            );
        }
        return answer;
      }),
      catchError((error: unknown) =>
        from(this.log.record(actor, subject, request, null)).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }
}

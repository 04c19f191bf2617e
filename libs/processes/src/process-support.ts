import { ADVISORY_LOCKS, ddlLockSql, CadreError, type Actor } from '@cadre/kernel';
import type { DecisionContext, DomainCommand, DomainEvent } from '@cadre/domain';
import { handleCommand, type CommandSpec, type CommandResult } from '@cadre/command-handling';
import type { EventStore, RecordedEvent } from '@cadre/event-store';
import type { ProjectionTransaction } from '@cadre/subscriptions';

/** What a process manager needs: the store it sends commands to, the clock, a logger. */
export interface ProcessDependencies {
  readonly store: EventStore;
  readonly now: () => Date;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
}

/** Processes act for the system, in every jurisdiction; never a person. */
export const processActor = (process: string): Actor => ({
  sub: `process:${process}`,
  roles: ['system'],
  jurisdictions: ['*'],
});

/** The schema of every process manager's refusals (one table, visible to admins). */
export const PROCESSES_SCHEMA = 'cadre_processes';

/** Serialises the processes' DDL (their runners start together and share the schema). */
export const PROCESSES_DDL_LOCK = ddlLockSql(ADVISORY_LOCKS.processesDdl);

export const REFUSALS_SQL = (schema: string): string => `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.refusals (
  refusal_id   bigserial PRIMARY KEY,
  process      text NOT NULL,
  cause_event_id uuid NOT NULL,
  stream       text NOT NULL,
  command      text NOT NULL,
  code         text NOT NULL,
  message      text NOT NULL,
  details      jsonb NOT NULL DEFAULT '{}',
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (process, cause_event_id, stream, command)
);`;

/**
 * Sends one command through the one load-decide-append path, caused by `cause` (its event id is
 * the causation id, its correlation id carries on). The deciders return nothing for a repeat, so a
 * batch applied again after a crash sends nothing twice. A domain refusal is recorded in
 * `refusals` (in the batch's transaction) and logged, and the process moves on; any other error
 * (the store unreachable) propagates: the runner retries the batch.
 */
export async function sendCommand<
  Command extends DomainCommand,
  Event extends DomainEvent,
  State,
  Context extends DecisionContext,
>(
  deps: ProcessDependencies,
  process: string,
  cause: Pick<RecordedEvent, 'eventId' | 'metadata'>,
  spec: CommandSpec<Command, Event, State, Context>,
  tx: Pick<ProjectionTransaction, 'query'>,
): Promise<CommandResult<State> | null> {
  try {
    return await handleCommand(deps.store, spec, {
      actor: processActor(process),
      correlationId: cause.metadata.correlationId ?? cause.eventId,
      causationId: cause.eventId,
      now: deps.now,
    });
  } catch (error) {
    if (!(error instanceof CadreError)) throw error;
    deps.log?.('warn', `process ${process}: ${spec.command.type} refused on ${spec.stream}; moving on`, {
      code: error.code,
      causeEventId: cause.eventId,
      error: error.message,
    });
    await tx.query(
      `INSERT INTO ${PROCESSES_SCHEMA}.refusals (process, cause_event_id, stream, command, code, message, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (process, cause_event_id, stream, command) DO UPDATE
         SET code = EXCLUDED.code, message = EXCLUDED.message, details = EXCLUDED.details, recorded_at = now()`,
      [
        process,
        cause.eventId,
        spec.stream,
        spec.command.type,
        error.code,
        error.message,
        JSON.stringify(error.details),
      ],
    );
    return null;
  }
}

export interface ProcessRefusal {
  readonly refusalId: string;
  readonly process: string;
  readonly causeEventId: string;
  readonly stream: string;
  readonly command: string;
  readonly code: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
  readonly recordedAt: string;
}

/** The refusals processes recorded, newest first (for admins). */
export async function listRefusals(
  db: { query: (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> },
  limit = 100,
): Promise<ProcessRefusal[]> {
  const { rows } = await db
    .query(`SELECT * FROM ${PROCESSES_SCHEMA}.refusals ORDER BY refusal_id DESC LIMIT $1`, [limit])
    .catch((error: { code?: string }) => {
      // No process has started yet: nothing was refused.
      if (error.code === '42P01' || error.code === '3F000') return { rows: [] };
      throw error;
    });
  return rows.map((row) => ({
    refusalId: String(row.refusal_id),
    process: String(row.process),
    causeEventId: String(row.cause_event_id),
    stream: String(row.stream),
    command: String(row.command),
    code: String(row.code),
    message: String(row.message),
    details: row.details as Record<string, unknown>,
    recordedAt: (row.recorded_at as Date).toISOString(),
  }));
}

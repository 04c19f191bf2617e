import type pg from 'pg';
import type {
  EventFilter,
  EventLocation,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store.port.js';
import type { Upcast } from '../upcasting/upcaster-chain.js';
import { queryRows } from './postgres-connection.js';
import { formatPosition, parsePgPosition, START, type PgPosition } from './postgres-position.js';
import { SCHEMA } from './postgres-schema.js';

const COLUMNS = `tx_id::text AS tx, seq::text AS seq, stream_id, revision::text AS revision, event_id::text AS event_id,
  type, data, metadata, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  encode(hash, 'hex') AS hash`;

interface EventRow {
  tx: string;
  seq: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: string;
  hash: string;
}

/**
 * The reads of the PostgreSQL adapter: a stream, the log in global order below its horizon (what
 * subscriptions page through), the head, and an event's place.
 */
export class PostgresReads {
  constructor(
    private readonly pool: pg.Pool,
    private readonly upcast?: Upcast,
  ) {}

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [stream];
    const where = ['stream_id = $1'];
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision);
      where.push(`revision ${backwards ? '<=' : '>='} $${params.length}`);
    }
    if (options.untilRecordedAt !== undefined) {
      params.push(new Date(options.untilRecordedAt).toISOString());
      where.push(`recorded_at <= $${params.length}`);
    }
    let limit = '';
    if (options.maxCount !== undefined) {
      params.push(options.maxCount);
      limit = `LIMIT $${params.length}`;
    }
    // Order by the table's columns (e.), not the text aliases of the select list.
    const sql = `SELECT ${COLUMNS} FROM ${SCHEMA}.events e WHERE ${where.join(' AND ')}
      ORDER BY e.revision ${backwards ? 'DESC' : 'ASC'} ${limit}`;
    const rows = await this.query<EventRow>(sql, params);
    return options.stored ? rows.map(toRecorded) : this.toCurrent(rows);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after === undefined ? START : parsePgPosition(options.after);
    return this.readPage(after, options.limit ?? 1000, options.filter);
  }

  /**
   * The log's horizon (`cadre_es.horizon()`), in a statement of its own: the read that uses it
   * must take its snapshot afterwards, so that an appender that ended in between is seen
   * committed (decision 0005).
   */
  private async horizon(): Promise<string> {
    const rows = await this.query<{ horizon: string }>(`SELECT ${SCHEMA}.horizon()::text AS horizon`);
    return rows[0]!.horizon;
  }

  /** Events after `after` in global order, below the log's horizon only. */
  async readPage(after: PgPosition, limit: number, filter?: EventFilter): Promise<RecordedEvent[]> {
    const horizon = await this.horizon();
    const params: unknown[] = [after.tx.toString(), after.seq.toString(), limit, horizon];
    const where = ['(tx_id, seq) > ($1::text::xid8, $2::bigint)', 'tx_id < $4::text::xid8'];
    if (filter?.eventTypePrefixes?.length) {
      params.push(filter.eventTypePrefixes.map((prefix) => `${escapeLike(prefix)}%`));
      where.push(`type LIKE ANY($${params.length}::text[])`);
    }
    if (filter?.streamCategories?.length) {
      params.push(filter.streamCategories);
      where.push(`split_part(stream_id, '-', 1) = ANY($${params.length}::text[])`);
    }
    const sql = `SELECT ${COLUMNS} FROM ${SCHEMA}.events e WHERE ${where.join(' AND ')}
      ORDER BY e.tx_id, e.seq LIMIT $3`;
    return this.toCurrent(await this.query<EventRow>(sql, params));
  }

  /** Rows as the readers know them: upcast when the store was given a chain. */
  private toCurrent(rows: EventRow[]): RecordedEvent[] {
    const upcast = this.upcast;
    return upcast ? rows.map((row) => upcast(toRecorded(row))) : rows.map(toRecorded);
  }

  /** Whether committed events after `after` are held back by an older append still running. */
  async hasEventsBeyondHorizon(after: PgPosition): Promise<boolean> {
    const horizon = await this.horizon();
    const rows = await this.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${SCHEMA}.events
         WHERE (tx_id, seq) > ($1::text::xid8, $2::bigint) AND tx_id >= $3::text::xid8) AS held`,
      [after.tx.toString(), after.seq.toString(), horizon],
    );
    return rows[0]?.held ?? false;
  }

  async headPosition(): Promise<Position | null> {
    const horizon = await this.horizon();
    const rows = await this.query<{ tx: string; seq: string }>(
      `SELECT e.tx_id::text AS tx, e.seq::text AS seq FROM ${SCHEMA}.events e
        WHERE e.tx_id < $1::text::xid8 ORDER BY e.tx_id DESC, e.seq DESC LIMIT 1`,
      [horizon],
    );
    const row = rows[0];
    return row ? formatPosition(row.tx, row.seq) : null;
  }

  /** One lookup on the unique index of event_id. */
  async locateEvent(eventId: string): Promise<EventLocation | null> {
    if (!UUID.test(eventId)) return null;
    const rows = await this.query<{ stream_id: string; revision: string }>(
      `SELECT stream_id, revision::text AS revision FROM ${SCHEMA}.events WHERE event_id = $1::uuid`,
      [eventId],
    );
    const row = rows[0];
    return row ? { stream: row.stream_id, revision: Number(row.revision) } : null;
  }

  private query<Row extends object>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return queryRows(this.pool, sql, params);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    stream: row.stream_id,
    revision: Number(row.revision),
    position: formatPosition(row.tx, row.seq),
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}

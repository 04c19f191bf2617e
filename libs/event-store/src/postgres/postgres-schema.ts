import { ADVISORY_LOCKS } from '@cadre/kernel';
/**
 * The PostgreSQL event store schema, applied idempotently at connect time under an advisory lock.
 *
 * Global order. A sequence number alone cannot order a log that concurrent transactions append to:
 * sequence values are taken in one order and committed in another, so a reader that keeps
 * "position > last" skips an event that a slower transaction commits later with a lower number.
 * Cadre orders the log by (transaction id, sequence) and lets readers see only transactions below
 * the horizon (`cadre_es.horizon()`, the oldest transaction still appending): every appending
 * transaction older than it has ended, so nothing can ever appear behind a reader. Appends to one stream are serialised by an advisory
 * lock taken before the transaction writes anything, so a stream's transaction ids, and therefore
 * its global order, follow its revisions. See docs/decisions/0005-global-order.md.
 */
export const SCHEMA = 'cadre_es';

/** Advisory-lock class for per-stream append locks (the second key is hashtext(stream)). */
export const STREAM_LOCK_CLASS = ADVISORY_LOCKS.streamAppendClass;
/** Advisory lock taken while the schema is created. */
export const SCHEMA_LOCK_KEY = ADVISORY_LOCKS.eventStoreSchema;

export const SCHEMA_SQL = /* sql */ `
CREATE SCHEMA IF NOT EXISTS ${SCHEMA};

CREATE TABLE IF NOT EXISTS ${SCHEMA}.events (
  tx_id        xid8        NOT NULL DEFAULT pg_current_xact_id(),
  seq          bigint      NOT NULL GENERATED ALWAYS AS IDENTITY,
  stream_id    text        NOT NULL,
  revision     bigint      NOT NULL,
  event_id     uuid        NOT NULL,
  type         text        NOT NULL,
  -- json, not jsonb: the text is kept exactly as canonicalised, so the hash chain can be recomputed
  data         json        NOT NULL,
  metadata     json        NOT NULL,
  recorded_at  timestamptz(3) NOT NULL DEFAULT now(),
  hash         bytea       NOT NULL,
  PRIMARY KEY (tx_id, seq),
  UNIQUE (stream_id, revision),
  UNIQUE (event_id)
);

-- Appends one batch to one stream in one round trip. p_kind: 0 exact revision, 1 any,
-- 2 no_stream, 3 stream_exists. The canonical JSON of each event arrives split around its
-- revision (prefix ‖ revision ‖ suffix), since an 'any' append learns its revision only here.
-- p_recorded_at: the application's clock (one clock for business and record time); NULL, or an
-- older caller's nine arguments, take the server's now(). The nine-argument form is dropped so that
-- a call with nine arguments is not ambiguous.
DROP FUNCTION IF EXISTS ${SCHEMA}.append(text, smallint, bigint, uuid[], text[], text[], text[], text[], text[]);
CREATE OR REPLACE FUNCTION ${SCHEMA}.append(
  p_stream text, p_kind smallint, p_expected bigint,
  p_ids uuid[], p_types text[], p_data text[], p_metadata text[], p_prefix text[], p_suffix text[],
  p_recorded_at timestamptz DEFAULT NULL
) RETURNS TABLE (next_revision bigint, tx text, last_seq bigint, noop boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_head bigint;
  v_hash bytea;
  v_n int := cardinality(p_ids);
  v_found int;
  v_match int;
  v_revisions bigint[] := '{}';
  v_hashes bytea[] := '{}';
  i int;
BEGIN
  -- The horizon (cadre_es.horizon) waits only for transactions that hold a stream lock, so an
  -- appender must hold it from before it has a transaction id: an append is a transaction of its
  -- own, or the first write of one.
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'cadre_es.append must come before any other write of its transaction'
      USING ERRCODE = '25000';
  END IF;
  -- No write before this lock: the transaction id is assigned after it, in stream order.
  PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(p_stream));

  SELECT e.revision, e.hash INTO v_head, v_hash
    FROM ${SCHEMA}.events e WHERE e.stream_id = p_stream ORDER BY e.revision DESC LIMIT 1;

  -- Idempotent retry: the same event ids with the same content, already in this stream. Checked
  -- when the expectation fails (a retry of an append that landed) or cannot tell (any,
  -- stream_exists); an exact expectation that holds inserts directly, and a reused id then fails
  -- on the unique index. "= ANY" keeps an index scan in the cached generic plan at any table size.
  IF p_kind IN (1, 3)
     OR (p_kind = 0 AND v_head IS DISTINCT FROM p_expected)
     OR (p_kind = 2 AND v_head IS NOT NULL) THEN
    SELECT count(*),
           count(*) FILTER (WHERE e.stream_id = p_stream
                            AND e.type = p_types[array_position(p_ids, e.event_id)]
                            AND e.data::text = p_data[array_position(p_ids, e.event_id)]
                            AND e.metadata::text = p_metadata[array_position(p_ids, e.event_id)])
      INTO v_found, v_match
      FROM ${SCHEMA}.events e
     WHERE e.event_id = ANY(p_ids);
    IF v_found > 0 THEN
      IF v_found = v_n AND v_match = v_n THEN
        RETURN QUERY
          SELECT e.revision, e.tx_id::text, e.seq, true FROM ${SCHEMA}.events e
           WHERE e.event_id = p_ids[v_n];
        RETURN;
      END IF;
      RAISE EXCEPTION USING ERRCODE = 'CA002', MESSAGE = 'duplicate event id';
    END IF;
  END IF;

  IF (p_kind = 0 AND v_head IS DISTINCT FROM p_expected)
     OR (p_kind = 2 AND v_head IS NOT NULL)
     OR (p_kind = 3 AND v_head IS NULL) THEN
    RAISE EXCEPTION USING ERRCODE = 'CA001', MESSAGE = coalesce(v_head, -1)::text;
  END IF;

  v_head := coalesce(v_head, -1);
  FOR i IN 1 .. v_n LOOP
    v_head := v_head + 1;
    v_hash := sha256(coalesce(v_hash, ''::bytea) || convert_to(p_prefix[i] || v_head::text || p_suffix[i], 'UTF8'));
    v_revisions := v_revisions || v_head;
    v_hashes := v_hashes || v_hash;
  END LOOP;

  RETURN QUERY
    WITH inserted AS (
      INSERT INTO ${SCHEMA}.events (stream_id, revision, event_id, type, data, metadata, hash, recorded_at)
      SELECT p_stream, r, id, t, d::json, m::json, h, coalesce(p_recorded_at, now())
        FROM unnest(v_revisions, p_ids, p_types, p_data, p_metadata, v_hashes) AS x(r, id, t, d, m, h)
       ORDER BY r
      RETURNING revision, tx_id, seq
    )
    SELECT inserted.revision, inserted.tx_id::text, inserted.seq, false
      FROM inserted ORDER BY inserted.revision DESC LIMIT 1;
END
$fn$;

-- The log's horizon: every transaction id below it that appended has ended, so a reader that sees
-- only events below it, with a snapshot taken after it was computed, can never find an event
-- appear behind it later. It is the oldest transaction id among those holding a stream lock
-- (every append holds one, from before its transaction id is assigned), or, with none, the next
-- transaction id. Transactions that append nothing (read-model batches, other databases of the
-- cluster) do not hold it back, as pg_snapshot_xmin(pg_current_snapshot()) would. pg_locks, not
-- pg_stat_activity: it shows every session's locks to any role, and is read live.
CREATE OR REPLACE FUNCTION ${SCHEMA}.horizon() RETURNS xid8
LANGUAGE sql VOLATILE AS $fn$
  WITH next AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS x),
  appenders AS (
    SELECT own.transactionid::text::bigint AS xid32
      FROM pg_locks appending
      JOIN pg_locks own ON own.virtualtransaction = appending.virtualtransaction
                       AND own.locktype = 'transactionid' AND own.mode = 'ExclusiveLock' AND own.granted
     WHERE appending.locktype = 'advisory' AND appending.classid = ${STREAM_LOCK_CLASS}
       AND appending.objsubid = 2 AND appending.granted
       AND appending.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  )
  -- A 32-bit id is widened to the epoch of the snapshot's xmax, or of its neighbour when it lies
  -- more than half the id space away (a wraparound in between). Running ids may be above xmax.
  SELECT least(next.x, min(next.x - next.x % 4294967296 + a.xid32
                           + CASE WHEN a.xid32 - next.x % 4294967296 > 2147483648 THEN -4294967296
                                  WHEN next.x % 4294967296 - a.xid32 > 2147483648 THEN 4294967296
                                  ELSE 0 END))::text::xid8
    FROM next LEFT JOIN appenders a ON true GROUP BY next.x
$fn$;
`;

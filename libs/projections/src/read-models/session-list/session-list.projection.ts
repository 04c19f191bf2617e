import type { RecordedEvent } from '@cadre/event-store';
import type { SessionEvent } from '@cadre/domain';
import type { Projection, ProjectionTransaction } from '../../projection.js';

export const SESSION_LIST_SCHEMA = 'rm_session_list';

export const SESSION_LIST_EVENT_TYPES = [
  'SessionScheduled',
  'ParticipantEnrolled',
  'ParticipantWithdrawn',
  'AttendanceRecorded',
  'SessionClosed',
  'SessionCancelled',
  'RecordVoided',
] as const;

const sessionIdOf = (event: RecordedEvent): string | null =>
  event.stream.startsWith('session-') ? event.stream.slice('session-'.length) : null;

/**
 * The managers' session list: one current-state row per session, with the derived `joint` flag
 * (participants of both prison and probation attended, present or partial, not voided) kept up
 * to date for every session a batch touches.
 */
export const sessionListProjection = (): Projection => ({
  name: 'session-list',
  version: 1,
  handles: SESSION_LIST_EVENT_TYPES,
  tables: ['sessions', 'participants', 'attendance'],
  schema: SESSION_LIST_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.sessions (
      session_id text PRIMARY KEY,
      programme_id text NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      location text NOT NULL,
      jurisdictions text[] NOT NULL,
      agencies text[] NOT NULL,
      trainers text[] NOT NULL,
      capacity int NOT NULL,
      status text NOT NULL DEFAULT 'scheduled',
      enrolled int NOT NULL DEFAULT 0,
      joint boolean NOT NULL DEFAULT false
    )`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS sessions_by_start ON ${schema}.sessions (starts_at, session_id)`,
    );
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.participants (
      session_id text NOT NULL,
      staff_id text NOT NULL,
      agency text NOT NULL,
      enrolled boolean NOT NULL,
      PRIMARY KEY (session_id, staff_id)
    )`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.attendance (
      event_id uuid PRIMARY KEY,
      seq bigserial,
      session_id text NOT NULL,
      staff_id text NOT NULL,
      attendance text NOT NULL,
      voided boolean NOT NULL DEFAULT false
    )`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS attendance_by_session ON ${schema}.attendance (session_id, staff_id, seq)`,
    );
  },
  apply: applySessionList,
});

async function applySessionList(events: readonly RecordedEvent[], tx: ProjectionTransaction): Promise<void> {
  const s = tx.schema;
  const touched = new Set<string>();
  // Events of one session depend on each other (enrol, then attend): applied in log order.
  for (const event of events) {
    const sessionId = sessionIdOf(event);
    if (sessionId === null) continue;
    touched.add(sessionId);
    const typed = event as unknown as SessionEvent;
    switch (typed.type) {
      case 'SessionScheduled': {
        const d = typed.data;
        await tx.query(
          `INSERT INTO ${s}.sessions (session_id, programme_id, starts_at, ends_at, location, jurisdictions, agencies, trainers, capacity)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (session_id) DO NOTHING`,
          [
            d.sessionId,
            d.programmeId,
            d.startsAt,
            d.endsAt,
            d.location,
            d.jurisdictions,
            d.agencies,
            d.trainers,
            d.capacity,
          ],
        );
        break;
      }
      case 'ParticipantEnrolled':
        await tx.query(
          `INSERT INTO ${s}.participants (session_id, staff_id, agency, enrolled) VALUES ($1, $2, $3, true)
           ON CONFLICT (session_id, staff_id) DO UPDATE SET enrolled = true, agency = EXCLUDED.agency`,
          [sessionId, typed.data.staffId, typed.data.agency],
        );
        break;
      case 'ParticipantWithdrawn':
        await tx.query(
          `UPDATE ${s}.participants SET enrolled = false WHERE session_id = $1 AND staff_id = $2`,
          [sessionId, typed.data.staffId],
        );
        break;
      case 'AttendanceRecorded':
        await tx.query(
          `INSERT INTO ${s}.attendance (event_id, session_id, staff_id, attendance) VALUES ($1, $2, $3, $4)
           ON CONFLICT (event_id) DO NOTHING`,
          [event.eventId, sessionId, typed.data.staffId, typed.data.attendance],
        );
        break;
      case 'SessionClosed':
        await tx.query(`UPDATE ${s}.sessions SET status = 'closed' WHERE session_id = $1`, [sessionId]);
        break;
      case 'SessionCancelled':
        await tx.query(`UPDATE ${s}.sessions SET status = 'cancelled' WHERE session_id = $1`, [sessionId]);
        break;
      case 'RecordVoided':
        await tx.query(`UPDATE ${s}.attendance SET voided = true WHERE event_id = $1`, [
          typed.data.targetEventId,
        ]);
        break;
      default:
        break;
    }
  }
  if (touched.size === 0) return;
  await tx.query(
    `WITH current AS (
       SELECT DISTINCT ON (a.session_id, a.staff_id) a.session_id, a.staff_id, a.attendance
       FROM ${s}.attendance a WHERE a.session_id = ANY($1::text[]) AND NOT a.voided
       ORDER BY a.session_id, a.staff_id, a.seq DESC
     ), derived AS (
       SELECT s.session_id,
              (SELECT count(*) FROM ${s}.participants p WHERE p.session_id = s.session_id AND p.enrolled) AS enrolled,
              COALESCE((SELECT bool_or(p.agency = 'prison') AND bool_or(p.agency = 'probation')
                        FROM current c JOIN ${s}.participants p USING (session_id, staff_id)
                        WHERE c.session_id = s.session_id AND c.attendance <> 'absent'), false) AS joint
       FROM ${s}.sessions s WHERE s.session_id = ANY($1::text[])
     )
     UPDATE ${s}.sessions t SET enrolled = d.enrolled, joint = d.joint FROM derived d WHERE t.session_id = d.session_id`,
    [[...touched]],
  );
}

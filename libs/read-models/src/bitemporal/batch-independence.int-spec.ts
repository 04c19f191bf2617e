import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from '@jest/globals';
import { from as copyFrom } from 'pg-copy-streams';
import type { RecordedEvent } from '@cadre/event-store';
import { projectionDatabase } from '../../../../test/support/projection-database.js';
import { INSTANTS, staffFact } from '../../../../test/read-side/staff-facts.js';
import { RebuildMemory, type Projection, type ProjectionTransaction } from '@cadre/subscriptions';
import { expiryGapsProjection } from '../expiry-gaps/expiry-gaps.projection.js';
import { coverageProjection } from '../requirement-coverage/coverage.projection.js';
import { staffTranscriptProjection } from '../staff-transcript/staff-transcript.projection.js';
import { spillThresholds } from './versions.js';

/**
 * The rows of a bitemporal read model must not depend on where batches begin and end: the live
 * runner applies small batches, a rebuild large ones, and the rebuild is compared with the live
 * tables row for row before it is swapped in. Appends of several events recorded at one instant
 * are the hard case: a batch's limit may split them.
 */
const { APR, FEB, FEB_MID, JAN, MAR, R1, R2, R3, R4 } = INSTANTS;

describe('bitemporal histories are the same whatever the batches', () => {
  const db = projectionDatabase('batches');
  const event = (type: string, occurredAt: string, recordedAt: string, data: object): RecordedEvent =>
    staffFact(type, occurredAt, recordedAt, { role: 'officer', ...data });

  // Four appends, each of two events recorded at one instant: a registration and a transfer; two
  // back-dated transfers; a transfer made and undone at once (the row closed by the first is
  // believed again after the second); a certification awarded and revoked at once. Then a void
  // of the transfer that undid the other: a batch that holds both re-opens a row and closes it
  // again.
  const award = event('CertificationAwarded', FEB, R4, {
    certificationId: 'c1',
    competency: 'dynamic-security',
    level: 'awareness',
    validFrom: FEB,
    validUntil: '2027-02-01T00:00:00.000Z',
    windowOpensAt: '2026-12-01T00:00:00.000Z',
    // Keys out of jsonb's order: read back from the facts table they come reordered.
    evidence: { reference: 'r', issuer: 'Academy', kind: 'external' },
    frameworkVersion: 'v1',
  });
  const undone = event('StaffMemberTransferred', APR, R3, { institution: 'B' });
  const events = [
    event('StaffMemberRegistered', JAN, R1, { institution: 'A' }),
    event('StaffMemberTransferred', MAR, R1, { institution: 'B' }),
    event('StaffMemberTransferred', FEB, R2, { institution: 'C' }),
    event('StaffMemberTransferred', FEB_MID, R2, { institution: 'A' }),
    event('StaffMemberTransferred', APR, R3, { institution: 'D' }),
    undone,
    award,
    event('CertificationRevoked', MAR, R4, { certificationId: 'c1', reason: 'misconduct' }),
    // A correction: the second April transfer never happened (a void finds its fact's entities).
    event('RecordVoided', R4, R4, { targetEventId: undone.eventId, reason: 'entered in error' }),
  ];

  /**
   * Applies the events in batches of `size` into the schema `schema`; its rows, ids left out.
   * `inMemory`: the first that many batches as a rebuild catches up (RebuildMemory, COPY), then
   * a flush, then the rest as the live runner applies them.
   */
  async function rowsAfter(
    projection: Projection,
    schema: string,
    size: number,
    inMemory = 0,
  ): Promise<unknown> {
    const memory = new RebuildMemory();
    const tx: ProjectionTransaction = {
      ...db.tx(schema),
      copy: (table, columns, lines) =>
        pipeline(
          Readable.from(lines),
          db.client.query(copyFrom(`COPY ${schema}.${table} (${columns.join(', ')}) FROM STDIN`)),
        ),
    };
    await db.client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await projection.createTables(tx, schema);
    const handled = new Set(projection.handles);
    const mine = events.filter((e) => handled.has(e.type));
    for (let i = 0, batch = 0; i < mine.length; i += size, batch += 1) {
      if (batch === inMemory) await memory.flush(tx);
      await projection.apply(mine.slice(i, i + size), batch < inMemory ? { ...tx, memory } : tx);
    }
    await memory.flush(tx);
    const tables: Record<string, unknown[]> = {};
    for (const table of projection.tables) {
      const { rows } = await db.client.query<{ row: string }>(
        `SELECT (to_jsonb(t) - 'row_id' - 'id' - 'seq')::text AS row FROM ${schema}.${table} t ORDER BY 1`,
      );
      tables[table] = rows.map((r) => r.row);
    }
    return tables;
  }

  for (const make of [staffTranscriptProjection, coverageProjection, expiryGapsProjection]) {
    const projection = make();
    it(`${projection.name}: batches of 1 to 7 events write the rows one batch writes`, async () => {
      const whole = await rowsAfter(projection, 'rm_batches_whole', events.length);
      const rows = Object.values(whole as Record<string, string[]>).flat();
      expect(rows.some((row) => row.includes('"institution": "C"'))).toBe(true);
      for (const size of [1, 2, 3, 4, 5, 6, 7]) {
        expect(await rowsAfter(projection, `rm_batches_${size}`, size)).toEqual(whole);
      }
    });

    it(`${projection.name}: a rebuild's batches kept in memory, then live ones, write the same rows`, async () => {
      const whole = await rowsAfter(projection, 'rm_batches_whole', events.length);
      for (const [size, inMemory] of [
        [events.length, 1],
        [1, 3],
        [1, events.length],
        [3, 2],
        [5, 1],
      ] as const) {
        expect(await rowsAfter(projection, `rm_memory_${size}_${inMemory}`, size, inMemory)).toEqual(whole);
      }
    });

    it(`${projection.name}: a rebuild that writes closed rows and facts as it goes writes the same rows`, async () => {
      const whole = await rowsAfter(projection, 'rm_batches_whole', events.length);
      const saved = { ...spillThresholds };
      Object.assign(spillThresholds, { facts: 1, rows: 1, marginMs: 0 });
      try {
        for (const size of [1, 2, 3]) {
          expect(await rowsAfter(projection, `rm_spill_${size}`, size, events.length)).toEqual(whole);
        }
      } finally {
        Object.assign(spillThresholds, saved);
      }
    });
  }
});

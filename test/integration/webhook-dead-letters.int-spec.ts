import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { WEBHOOKS_SCHEMA, WebhookSubscriptions, type SecretBox } from '@cadre/integration';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const clear: SecretBox = { seal: (_id, secret) => secret, unseal: (_id, stored) => stored };

/** The dead-letter table as versions before issue 13 created it: the body kept whole. */
const DEAD_LETTERS_BEFORE = `
CREATE SCHEMA IF NOT EXISTS ${WEBHOOKS_SCHEMA};
CREATE TABLE ${WEBHOOKS_SCHEMA}.dead_letters (
  subscription_id uuid NOT NULL,
  event_id        uuid NOT NULL,
  position        text NOT NULL,
  event           jsonb NOT NULL,
  attempts        int NOT NULL,
  last_error      text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscription_id, event_id)
);`;

const body = (id: string, subject: string, sequence: string, employeeRef: string | null) => ({
  specversion: '1.0',
  id,
  type: 'org.cadre.certification.awarded.v1',
  source: 'urn:cadre:test',
  subject,
  time: '2026-01-02T03:04:05.000Z',
  datacontenttype: 'application/json',
  sequence,
  data: { certificationId: randomUUID(), employeeRef, competency: 'dynamic-security', jurisdiction: 'AL' },
});

describe('webhook dead letters: ids and positions only', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('dead_letters');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const stored = async () =>
    (
      await pool.query<{ row: Record<string, unknown> }>(
        `SELECT row_to_json(d) AS row FROM ${WEBHOOKS_SCHEMA}.dead_letters d ORDER BY event_id`,
      )
    ).rows.map((r) => r.row);
  const columns = async () =>
    (
      await pool.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = 'dead_letters' ORDER BY column_name`,
        [WEBHOOKS_SCHEMA],
      )
    ).rows.map((r) => r.column_name);

  it('migrates a dead letter of an earlier version: its body dropped, its ids and old-spelled position kept', async () => {
    await pool.query(DEAD_LETTERS_BEFORE);
    const subscriptionId = randomUUID();
    const eventId = randomUUID();
    const subject = randomUUID();
    await pool.query(
      `INSERT INTO ${WEBHOOKS_SCHEMA}.dead_letters (subscription_id, event_id, position, event, attempts, last_error)
       VALUES ($1, $2, '992-55', $3, 8, 'HTTP 503')`,
      [subscriptionId, eventId, JSON.stringify(body(eventId, subject, '992-55', 'AL-HR-0002'))],
    );

    // The first use of the table by this version migrates it; a second process finds it done.
    const letters = await new WebhookSubscriptions(pool, clear).deadLetters(subscriptionId);
    expect(await new WebhookSubscriptions(pool, clear).deadLetters(subscriptionId)).toEqual(letters);
    expect(letters).toEqual([
      {
        eventId,
        subject,
        position: '992-55',
        attempts: 8,
        lastError: 'HTTP 503',
        recordedAt: expect.any(String),
      },
    ]);
    expect(await columns()).toEqual([
      'attempts',
      'event_id',
      'last_error',
      'position',
      'recorded_at',
      'subject',
      'subscription_id',
    ]);
    expect(JSON.stringify(await stored())).not.toContain('AL-HR-0002');
  });

  it('records a dead letter from the body being delivered, keeping only its id, subject and sequence', async () => {
    const subscriptions = new WebhookSubscriptions(pool, clear);
    const subscriptionId = randomUUID();
    const eventId = randomUUID();
    const subject = randomUUID();
    const sequence = '00000000000000001019-00000000000000000060';
    // As delivery calls it: the CloudEvent it was posting, personal data included.
    await subscriptions.recordDeadLetter(
      subscriptionId,
      body(eventId, subject, sequence, 'AL-HR-0003'),
      8,
      'HTTP 500',
    );
    expect(await subscriptions.deadLetter(subscriptionId, eventId)).toMatchObject({
      eventId,
      subject,
      position: sequence,
      attempts: 8,
    });
    expect(JSON.stringify(await stored())).not.toContain('AL-HR-0003');
    expect(JSON.stringify(await stored())).not.toContain('dynamic-security');
  });
});

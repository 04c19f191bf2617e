import type { Projection, ProjectionTransaction } from '@cadre/subscriptions';
import {
  type UnsealDependency,
  evolveDirectoryRow,
  unsealFields,
  type DirectoryRow,
} from './staff-directory.rows.js';
import { insertRows, onConflictUpdate, type Column } from '../bitemporal/sql-rows.js';

export const STAFF_DIRECTORY_SCHEMA = 'rm_staff_directory';

const STAFF_EVENTS = [
  'StaffMemberRegistered',
  'StaffMemberRoleChanged',
  'StaffMemberTransferred',
  'StaffMemberLeft',
  'StaffPersonalDataErased',
] as const;

const COLUMNS: readonly (Column & { key: keyof DirectoryRow })[] = [
  { name: 'staff_id', type: 'text', key: 'staffId' },
  { name: 'agency', type: 'text', key: 'agency' },
  { name: 'jurisdiction', type: 'text', key: 'jurisdiction' },
  { name: 'institution', type: 'text', key: 'institution' },
  { name: 'role', type: 'text', key: 'role' },
  { name: 'status', type: 'text', key: 'status' },
  { name: 'name', type: 'text', key: 'name' },
  { name: 'email', type: 'text', key: 'email' },
  { name: 'employee_ref', type: 'text', key: 'employeeRef' },
  { name: 'registered_at', type: 'timestamptz', key: 'registeredAt' },
  { name: 'left_at', type: 'timestamptz', key: 'leftAt' },
];

/**
 * The managers' staff directory (DOMAIN read model 9): each member as they stand now, with their
 * unsealed name, e-mail and employeeRef for search; "erased" once their personal data is erased.
 */
export const staffDirectoryProjection = (deps: UnsealDependency = {}): Projection => ({
  name: 'staff-directory',
  version: 1,
  handles: STAFF_EVENTS,
  tables: ['staff'],
  schema: STAFF_DIRECTORY_SCHEMA,
  createTables: async (tx, schema) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.staff (
      staff_id text PRIMARY KEY,
      agency text NOT NULL,
      jurisdiction text NOT NULL,
      institution text NOT NULL,
      role text NOT NULL,
      status text NOT NULL,
      name text NOT NULL,
      email text NOT NULL,
      employee_ref text NOT NULL,
      registered_at timestamptz NOT NULL,
      left_at timestamptz)`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS staff_by_name ON ${schema}.staff (jurisdiction, name, staff_id)`,
    );
    // Substring search (`q`) uses trigram indexes where pg_trgm can be installed; ILIKE works without.
    // fastupdate off: a pending list (up to 4 MB) would be read in full by every search (decision 0009).
    await tx.query(`DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
      EXCEPTION WHEN OTHERS THEN NULL;
      END $$`);
    await tx.query(`DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          EXECUTE 'CREATE INDEX IF NOT EXISTS staff_name_trgm ON ${schema}.staff USING gin (lower(name) gin_trgm_ops, lower(employee_ref) gin_trgm_ops) WITH (fastupdate = off)';
        END IF;
      EXCEPTION WHEN OTHERS THEN NULL;
      END $$`);
  },
  apply: async (events, tx) => {
    const ids = [...new Set(events.map((event) => (event.data as { staffId: string }).staffId))];
    const rows = new Map((await loadRows(tx, ids)).map((row) => [row.staffId, row]));
    for (const event of events) {
      const staffId = (event.data as { staffId: string }).staffId;
      const fields =
        event.type === 'StaffMemberRegistered'
          ? await unsealFields(deps.unseal, staffId, (event.data as { personalData?: unknown }).personalData)
          : undefined;
      const row = evolveDirectoryRow(rows.get(staffId), event, fields);
      if (row) rows.set(staffId, row);
    }
    const changed = ids.flatMap((id) => rows.get(id) ?? []);
    await insertRows(
      tx,
      'staff',
      COLUMNS,
      changed.map((row) => COLUMNS.map((column) => row[column.key])),
      onConflictUpdate('staff_id', COLUMNS),
    );
  },
});

async function loadRows(tx: ProjectionTransaction, ids: readonly string[]): Promise<DirectoryRow[]> {
  if (ids.length === 0) return [];
  return tx.query<DirectoryRow>(
    `SELECT staff_id AS "staffId", agency, jurisdiction, institution, role, status, name, email,
            employee_ref AS "employeeRef", to_json(registered_at) #>> '{}' AS "registeredAt",
            to_json(left_at) #>> '{}' AS "leftAt"
       FROM ${tx.schema}.staff WHERE staff_id = ANY($1::text[])`,
    [ids],
  );
}

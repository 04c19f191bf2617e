import type { RecordedEvent } from '@cadre/event-store';
import type { ProjectionTransaction } from '@cadre/subscriptions';
import { type UnsealDependency, ERASED, unsealFields } from '../staff-directory/staff-directory.rows.js';
import { insertRows, onConflictUpdate, type Column, columnsOf } from '../bitemporal/sql-rows.js';

/**
 * The one table of a schema that holds personal data (name and employeeRef), unsealed when the
 * member registers and replaced with "erased" on erasure; history tables carry none.
 */
export const createNamesTable = (tx: ProjectionTransaction, schema: string): Promise<unknown> =>
  tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.names (
    staff_id text PRIMARY KEY,
    name text NOT NULL,
    employee_ref text NOT NULL)`);

export const NAME_EVENTS = ['StaffMemberRegistered', 'StaffPersonalDataErased'];

export async function applyNames(
  tx: ProjectionTransaction,
  deps: UnsealDependency,
  events: readonly RecordedEvent[],
): Promise<void> {
  const rows = new Map<string, [string, string, string]>();
  for (const event of events) {
    const data = event.data as { staffId: string; personalData?: unknown };
    if (event.type === 'StaffMemberRegistered') {
      const fields = await unsealFields(deps.unseal, data.staffId, data.personalData);
      rows.set(data.staffId, [data.staffId, fields.name, fields.employeeRef]);
    } else if (event.type === 'StaffPersonalDataErased') {
      rows.set(data.staffId, [data.staffId, ERASED, ERASED]);
    }
  }
  await insertRows(tx, 'names', NAME_COLUMNS, [...rows.values()], onConflictUpdate('staff_id', NAME_COLUMNS));
}

const NAME_COLUMNS: readonly Column[] = columnsOf({ staff_id: 'text', name: 'text', employee_ref: 'text' });

import type { RecordedEvent } from '@cadre/event-store';

/** What erasure leaves in place of every personal field. */
export const ERASED = 'erased';

/** How a read model unseals personal fields (null once erased): `ReadModelDependencies.unseal`. */
export type Unseal = (staffId: string, field: string, sealed: unknown) => Promise<string | null>;

/** The part of the read-model dependencies these projections use (kept here: no import cycle). */
export interface UnsealDependency {
  readonly unseal?: Unseal;
}

/** The clear personal fields of a member, as the read models show them. */
export interface PersonalFields {
  readonly name: string;
  readonly email: string;
  readonly employeeRef: string;
}

export const ERASED_FIELDS: PersonalFields = { name: ERASED, email: ERASED, employeeRef: ERASED };

/**
 * The sealed personal data of a registration, unsealed through the read-model dependency; the
 * three fields are sealed as one JSON value (field `personal-data`). No key (erased) or no
 * unsealer → "erased": a read model never shows ciphertext.
 */
export async function unsealFields(
  unseal: Unseal | undefined,
  staffId: string,
  sealed: unknown,
): Promise<PersonalFields> {
  if (!unseal || sealed === undefined || sealed === null) return ERASED_FIELDS;
  const clear = await unseal(staffId, 'personal-data', sealed);
  if (clear === null) return ERASED_FIELDS;
  let parsed: Partial<PersonalFields>;
  try {
    parsed = JSON.parse(clear) as Partial<PersonalFields>;
  } catch {
    return ERASED_FIELDS; // not the shape the api seals: never show it raw
  }
  return {
    name: parsed.name ?? ERASED,
    email: parsed.email ?? ERASED,
    employeeRef: parsed.employeeRef ?? ERASED,
  };
}

/** A row of the directory: the member as they stand now. */
export interface DirectoryRow {
  staffId: string;
  agency: string;
  jurisdiction: string;
  institution: string;
  role: string;
  status: 'active' | 'left';
  name: string;
  email: string;
  employeeRef: string;
  registeredAt: string;
  leftAt: string | null;
}

interface StaffData {
  readonly staffId: string;
  readonly agency?: string;
  readonly jurisdiction?: string;
  readonly institution?: string;
  readonly role?: string;
}

/**
 * Folds one staff event into the member's row (pure): `undefined` before registration, and
 * personal fields come from `fields` (unsealed by the caller) at registration.
 */
export function evolveDirectoryRow(
  row: DirectoryRow | undefined,
  event: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>,
  fields: PersonalFields = ERASED_FIELDS,
): DirectoryRow | undefined {
  const data = event.data as StaffData;
  switch (event.type) {
    case 'StaffMemberRegistered':
      return {
        staffId: data.staffId,
        agency: data.agency ?? '',
        jurisdiction: data.jurisdiction ?? '',
        institution: data.institution ?? '',
        role: data.role ?? '',
        status: 'active',
        ...fields,
        registeredAt: event.metadata.occurredAt,
        leftAt: null,
      };
    case 'StaffMemberRoleChanged':
      return row && { ...row, role: data.role ?? row.role };
    case 'StaffMemberTransferred':
      return (
        row && {
          ...row,
          agency: data.agency ?? row.agency,
          jurisdiction: data.jurisdiction ?? row.jurisdiction,
          institution: data.institution ?? row.institution,
        }
      );
    case 'StaffMemberLeft':
      return row && { ...row, status: 'left', leftAt: event.metadata.occurredAt };
    case 'StaffPersonalDataErased':
      return row && { ...row, ...ERASED_FIELDS };
    default:
      return row;
  }
}

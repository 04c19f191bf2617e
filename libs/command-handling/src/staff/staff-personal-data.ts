import type { SealedPersonalData } from '@cadre/domain';
import type { PersonalDataVault } from '@cadre/personal-data';

/** A staff member's personal data: never in clear in an event, a log or a stream name. */
export interface StaffPersonalData {
  readonly name: string;
  readonly email: string;
  readonly employeeRef: string;
}

// The three fields are sealed together, as one value bound to the member (the vault's subject)
// and to this field name, so the event carries one AES-256-GCM ciphertext and no per-field hints.
const FIELD = 'personal-data';

export async function sealPersonalData(
  vault: PersonalDataVault,
  staffId: string,
  data: StaffPersonalData,
): Promise<SealedPersonalData> {
  const { name, email, employeeRef } = data;
  const sealed = (await vault.seal(staffId, { [FIELD]: JSON.stringify({ name, email, employeeRef }) }))[
    FIELD
  ];
  return { alg: sealed.alg, v: String(sealed.v), iv: sealed.iv, ciphertext: sealed.ct, tag: sealed.tag };
}

/** The clear personal data, or null once the member's data key is destroyed (erased). */
export async function unsealPersonalData(
  vault: PersonalDataVault,
  staffId: string,
  sealed: SealedPersonalData | undefined,
): Promise<StaffPersonalData | null> {
  if (!sealed) return null;
  const value = {
    v: Number(sealed.v),
    alg: sealed.alg,
    iv: sealed.iv,
    ct: sealed.ciphertext,
    tag: sealed.tag,
  };
  const clear = await vault.unseal(staffId, FIELD, value);
  return clear === null ? null : (JSON.parse(clear) as StaffPersonalData);
}

/** The blind index of an employeeRef within its jurisdiction: names the reservation stream. */
export const employeeRefKey = (vault: PersonalDataVault, jurisdiction: string, employeeRef: string): string =>
  vault.blindIndex(`employee-ref:${jurisdiction}`, employeeRef);

/** The sealed personal data a member was registered with, from their stream's events. */
export function registeredPersonalData(
  events: readonly { readonly type: string; readonly data: unknown }[],
): SealedPersonalData | undefined {
  const registered = events.find((event) => event.type === 'StaffMemberRegistered');
  return (registered?.data as { personalData?: SealedPersonalData } | undefined)?.personalData;
}

/** The two agencies that train jointly and are audited for it. */
export const CORE_AGENCIES = ['prison', 'probation'] as const;

/** Partner agencies whose people may sit on multi-agency teams under the same rules. */
export const PARTNER_AGENCIES = [
  'police',
  'social-services',
  'health',
  'education',
  'religious-community',
  'civil-society',
] as const;

export const AGENCIES = [...CORE_AGENCIES, ...PARTNER_AGENCIES] as const;

export type Agency = (typeof AGENCIES)[number];

export function isAgency(value: unknown): value is Agency {
  return typeof value === 'string' && (AGENCIES as readonly string[]).includes(value);
}

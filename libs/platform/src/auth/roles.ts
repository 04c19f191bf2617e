/** The roles a token may carry (DOMAIN.md). */
export const ROLES = ['admin', 'training-coordinator', 'manager', 'auditor', 'hr-system'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** The regional jurisdiction a token may name: every jurisdiction. */
export const REGIONAL_JURISDICTION = '*';

/** `*` is the regional jurisdiction; the others are codes (AL, BA, XK, ME, MK, RS: CADRE_JURISDICTIONS). */
export const JURISDICTION_CLAIM = /^(\*|[A-Z]{2,8})$/;

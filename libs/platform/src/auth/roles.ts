/** The roles a token may carry (DOMAIN.md). */
export const ROLES = ['admin', 'training-coordinator', 'manager', 'auditor', 'hr-system'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** `*` is the regional jurisdiction; the others are two-letter codes (AL, BA, XK, ME, MK, RS). */
export const JURISDICTION_CLAIM = /^(\*|[A-Z]{2,8})$/;

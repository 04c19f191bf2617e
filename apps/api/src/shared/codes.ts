/** A code of the framework (a role, a competency): lower-case letters, digits and hyphens, from a letter. */
export const CODE = /^[a-z][a-z0-9-]{0,63}$/;

/** The message of a malformed code (`$property` names the field), with an example of a good one. */
export const codeMessage = (example?: string, what = 'code'): string =>
  `$property must be a lower-case ${what} of letters, digits and hyphens${example ? ` (e.g. "${example}")` : ''}`;

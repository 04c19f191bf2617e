/** The jurisdiction code of regional acts (drafting and publishing the framework). */
export const REGIONAL = '*';

/** Who acts: the token's subject, roles and jurisdictions — never a name. */
export interface Actor {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly jurisdictions: readonly string[];
}

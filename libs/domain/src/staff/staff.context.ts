import type { DecisionContext } from '../shared/decider.js';
import type { FrameworkDefinition } from '../shared/requirements.js';

export interface StaffContext extends DecisionContext {
  /**
   * The framework version the member's jurisdiction had adopted (see `adoptedVersionAt`): at now
   * for `RegisterStaffMember` and `ChangeStaffRole` (the role must exist), at `validFrom` for
   * `AwardCertification` (its competency levels give the validity).
   */
  readonly framework?: FrameworkDefinition;
}

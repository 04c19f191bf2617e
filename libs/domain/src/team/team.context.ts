import type { DecisionContext } from '../shared/decider.js';
import type { FrameworkDefinition, JurisdictionRules } from '../shared/requirements.js';
import type { StaffSnapshot } from '../staff/staff.state.js';

export interface TeamContext extends DecisionContext {
  /**
   * For `AssignMember` and `ApproveAssignmentOverride`: the member, read from their staff stream.
   * For `RecordMemberQualificationLapse` with cause `voided`: the member as the void left them.
   */
  readonly candidate?: StaffSnapshot;
  /**
   * For `AssignMember`, `ApproveAssignmentOverride` and a `voided` lapse: the team jurisdiction's
   * rules and the framework version it had adopted at `now` (see `adoptedVersionAt`).
   */
  readonly rules?: { readonly framework: FrameworkDefinition; readonly jurisdiction: JurisdictionRules };
}

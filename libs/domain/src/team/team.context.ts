import type { DecisionContext } from '../shared/decider.js';
import type { PersonHistory } from '../shared/person-history.js';
import type { StaffSnapshot } from '../staff/staff.state.js';
import type { TeamRules } from './team-role.rule.js';

export interface TeamContext extends DecisionContext {
  /** For `AssignMember` and `ApproveAssignmentOverride`: the member, read from their staff stream. */
  readonly candidate?: StaffSnapshot;
  /**
   * For `FormTeam`, `AssignMember`, `ApproveAssignmentOverride`, `DeclareTeamOperational` and
   * `ReviewMemberStanding`: the team jurisdiction's rules with every framework version it adopted.
   */
  readonly rules?: TeamRules;
  /**
   * For `DeclareTeamOperational` and `ReviewMemberStanding`: every current member's history (for a
   * review, as the log stood at its `asOf`), so readiness is judged by the clock.
   */
  readonly members?: Readonly<Record<string, PersonHistory>>;
}

import { evaluateQualification } from '../shared/qualification.js';
import { requirementsInForce } from '../shared/requirements.js';
import type { Instant } from '../shared/time.js';
import { requireContext } from '../shared/validation.js';
import type { TeamContext } from './team.context.js';
import type { Member } from './team.state.js';

/**
 * Whether voiding `certificationId` leaves the member short of a requirement of their team role.
 * A void takes back a record, not necessarily the qualification: the member's certifications as
 * their stream stands after the void are evaluated against the role's requirements in force at
 * `now`, exactly as an assignment evaluates them (`requirementsInForce`, `evaluateQualification`).
 * A requirement still met by another valid certification (a higher level, or the period before a
 * voided renewal, still running) lapses nothing; neither does a void of a competency the role
 * does not require, even for a member short of another one (an override) — not this void's doing.
 */
export function voidLeavesRequirementUnmet(
  member: Member,
  certificationId: string,
  context: TeamContext,
  now: Instant,
): boolean {
  const staff = requireContext(context.candidate, 'candidate');
  if (staff.staffId !== member.staffId)
    throw new Error(`context.candidate is ${staff.staffId}, not ${member.staffId}.`);
  const { framework, jurisdiction } = requireContext(context.rules, 'rules');
  const { requirements } = requirementsInForce(framework, jurisdiction, member.teamRole, now);
  const { violations } = evaluateQualification(requirements, staff.certifications, now);
  const voided = staff.certifications.find((c) => c.certificationId === certificationId);
  // A certification the stream does not show (never expected): any unmet requirement counts.
  return violations.some((violation) => !voided || violation.competency === voided.competency);
}

import type { Decider } from '../shared/decider.js';
import { decideCertification } from './certification.decide.js';
import type { StaffCommand } from './staff.commands.js';
import type { StaffContext } from './staff.context.js';
import type { StaffEvent } from './staff.events.js';
import { evolveStaff, initialStaffState } from './staff.evolve.js';
import type { StaffState } from './staff.state.js';
import { decideStaffMember } from './staff-member.decide.js';

export function decideStaff(command: StaffCommand, state: StaffState, context: StaffContext): StaffEvent[] {
  switch (command.type) {
    case 'RegisterStaffMember':
    case 'ChangeStaffRole':
    case 'TransferStaffMember':
    case 'RecordStaffDeparture':
    case 'ErasePersonalData':
      return decideStaffMember(command, state, context);
    default:
      return decideCertification(command, state, context);
  }
}

/**
 * A staff member (`staff-<id>`) and the certifications in their stream. The employeeRef's
 * uniqueness is kept by a separate reservation stream (`employeeRefDecider`).
 */
export const staffDecider: Decider<StaffCommand, StaffEvent, StaffState, StaffContext> = {
  decide: decideStaff,
  evolve: evolveStaff,
  initialState: initialStaffState,
};

import { assertActsIn } from '../shared/actor.js';
import { AGENCIES } from '../shared/agencies.js';
import { assertNever, eventFactory } from '../shared/decider.js';
import type { FrameworkDefinition } from '../shared/requirements.js';
import { requireContext, requireOneOf, requireText } from '../shared/validation.js';
import type { StaffMemberCommand } from './staff.commands.js';
import type { StaffContext } from './staff.context.js';
import { staffErrors } from './staff.errors.js';
import type { StaffEvent } from './staff.events.js';
import type { StaffState } from './staff.state.js';

export function decideStaffMember(
  command: StaffMemberCommand,
  state: StaffState,
  context: StaffContext,
): StaffEvent[] {
  const emit = eventFactory<StaffEvent>(command, context);
  const { staffId } = command.data;
  if (command.type === 'RegisterStaffMember') {
    if (state.status !== 'unregistered') throw staffErrors.alreadyRegistered(staffId);
    const { agency, jurisdiction, institution, role, personalData } = command.data;
    assertActsIn(context.actor, [requireText(jurisdiction, 'jurisdiction')]);
    if (!personalData?.ciphertext) throw staffErrors.sealedDataRequired();
    return [
      emit('StaffMemberRegistered', {
        staffId,
        agency: requireOneOf(agency, AGENCIES, 'agency'),
        jurisdiction,
        institution: requireText(institution, 'institution'),
        role: knownRole(role, requireContext(context.framework, 'framework')),
        personalData,
      }),
    ];
  }
  if (state.status === 'unregistered') throw staffErrors.notFound(staffId);
  assertActsIn(context.actor, [state.jurisdiction]);
  switch (command.type) {
    case 'ErasePersonalData':
      // Erasure is allowed after departure and asked again harmlessly: the key is already gone.
      return state.personalDataErased ? [] : [emit('StaffPersonalDataErased', { staffId })];
    case 'RecordStaffDeparture':
      return state.status === 'left' ? [] : [emit('StaffMemberLeft', { staffId })];
    case 'ChangeStaffRole': {
      if (state.status === 'left') throw staffErrors.memberLeft(staffId);
      const role = knownRole(command.data.role, requireContext(context.framework, 'framework'));
      if (role === state.role) throw staffErrors.nothingToChange(staffId);
      return [emit('StaffMemberRoleChanged', { staffId, role, previousRole: state.role })];
    }
    case 'TransferStaffMember': {
      if (state.status === 'left') throw staffErrors.memberLeft(staffId);
      const from = { agency: state.agency, jurisdiction: state.jurisdiction, institution: state.institution };
      const to = {
        agency: requireOneOf(command.data.agency ?? state.agency, AGENCIES, 'agency'),
        jurisdiction: command.data.jurisdiction ?? state.jurisdiction,
        institution: requireText(command.data.institution, 'institution'),
      };
      assertActsIn(context.actor, [to.jurisdiction]);
      if (
        to.agency === from.agency &&
        to.jurisdiction === from.jurisdiction &&
        to.institution === from.institution
      ) {
        throw staffErrors.nothingToChange(staffId);
      }
      return [emit('StaffMemberTransferred', { staffId, ...to, from })];
    }
    default:
      return assertNever(command);
  }
}

function knownRole(role: string, framework: FrameworkDefinition): string {
  if (!framework.roles[requireText(role, 'role')]) throw staffErrors.unknownRole(role, framework.version);
  return role;
}

import type { EventUpcaster } from '../evolution/event-upcaster.js';
import type { MemberAssigned } from './team.events.js';

/** MemberAssigned as Cadre wrote it until version 2: the business time only in the envelope. */
export type MemberAssignedV1Data = Omit<MemberAssigned['data'], 'assignedAt'>;

/**
 * MemberAssigned v1 → v2: `assignedAt` is the envelope's `occurredAt`, which is what every reader
 * of a v1 assignment took as its business time.
 */
export const memberAssignedV1ToV2: EventUpcaster = {
  type: 'MemberAssigned',
  fromVersion: 1,
  upcast: ({ data, metadata }) => {
    const assigned: MemberAssigned['data'] = {
      ...(data as MemberAssignedV1Data),
      assignedAt: metadata.occurredAt,
    };
    return { data: assigned };
  },
};

export const teamUpcasters: readonly EventUpcaster[] = [memberAssignedV1ToV2];

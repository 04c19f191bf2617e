import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  staffDecider,
  staffStream,
  teamDecider,
  teamStream,
  type StaffCommand,
  type TeamCommand,
} from '@cadre/domain';
import type { Actor } from '@cadre/kernel';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { handleCommand } from '@cadre/command-handling';
import { ReferenceData } from '@cadre/command-handling/nest';
import type { PlatformTestApp } from '../platform/support/platform-test-app.js';

export const manager = (sub: string, jurisdiction = 'AL'): Actor => ({
  sub,
  roles: ['manager'],
  jurisdictions: [jurisdiction],
});

/** Team commands straight through the decider on the app's store (what the team routes do). */
export class TeamFixtures {
  private constructor(
    private readonly store: EventStore,
    private readonly reference: ReferenceData,
  ) {}

  static of(subject: PlatformTestApp): TeamFixtures {
    return new TeamFixtures(
      subject.app.get<EventStore>(EVENT_STORE),
      subject.app.get(ReferenceData, { strict: false }),
    );
  }

  async form(actor: Actor, spec: { jurisdiction?: string; kind?: string; roles?: string[] } = {}) {
    const teamId = randomUUID();
    await this.send(actor, {
      type: 'FormTeam',
      data: {
        teamId,
        name: `Team ${teamId.slice(0, 6)}`,
        jurisdiction: spec.jurisdiction ?? 'AL',
        institutions: ['Probation office Tirana'],
        kind: (spec.kind ?? 'probation') as 'probation',
        caseRef: `CASE-${teamId.slice(0, 4)}`,
        requiredDisciplines: (spec.roles ?? ['probation-officer']).map((role) => ({ role, minCount: 1 })),
      },
    });
    return teamId;
  }

  send(actor: Actor, command: TeamCommand, metadata?: { occurredAt: string; reason: string }) {
    const withMetadata = (metadata ? { ...command, metadata } : command) as TeamCommand;
    return handleCommand(
      this.store,
      {
        stream: teamStream(command.data.teamId),
        decider: teamDecider,
        command: withMetadata,
        context: async (state, base) => {
          const jurisdiction =
            state.status === 'none'
              ? (command.data as { jurisdiction: string }).jurisdiction
              : state.jurisdiction;
          const staffId = 'staffId' in command.data ? command.data.staffId : undefined;
          const pendingStaff =
            command.type === 'ApproveAssignmentOverride' && state.status !== 'none'
              ? state.overrides[command.data.overrideId]?.staffId
              : staffId;
          const memberIds = state.status === 'none' ? [] : Object.keys(state.members);
          return {
            ...base,
            candidate: pendingStaff ? await this.reference.staffSnapshot(pendingStaff) : undefined,
            rules: await this.reference.jurisdictionRules(jurisdiction),
            members: await this.reference.staffSnapshots(memberIds),
          };
        },
      },
      { actor, correlationId: randomUUID(), now: () => new Date() },
    );
  }
}

const ADMIN: Actor = { sub: 'fixture-admin', roles: ['admin'], jurisdictions: ['*'] };

/** A staff command with its business time in the past (and the reason back-dating needs). */
export async function backdatedStaffCommand(
  subject: PlatformTestApp,
  command: Exclude<StaffCommand, { type: 'VoidRecord' }>,
  occurredAt: string,
  reason = 'Recorded late from paper files',
) {
  const store = subject.app.get<EventStore>(EVENT_STORE);
  const framework = await subject.app.get(ReferenceData, { strict: false }).framework('v1');
  if (framework.status === 'none') throw new Error('Seed the sample framework first.');
  return handleCommand(
    store,
    {
      stream: staffStream(command.data.staffId),
      decider: staffDecider,
      command: { ...command, metadata: { occurredAt, reason } } as StaffCommand,
      context: (_state, base) => ({ ...base, framework }),
    },
    { actor: ADMIN, correlationId: randomUUID(), now: () => new Date() },
  );
}

/** Polls a GET until `ready` holds of its body (projections are eventually consistent). */
export async function eventually(
  server: Server,
  path: string,
  authorization: string,
  ready: (body: { items?: unknown[] } & Record<string, unknown>) => boolean,
  timeoutMs = 10_000,
): Promise<request.Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request(server).get(path).set('Authorization', authorization);
    if (response.status === 200 && ready(response.body)) return response;
    if (Date.now() > deadline)
      throw new Error(`${path} never got ready: ${response.status} ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

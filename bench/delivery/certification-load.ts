import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  frameworkDecider,
  schemaVersionOf,
  staffDecider,
  staffStream,
  type FrameworkState,
  type Level,
  type StaffEvent,
  type StaffState,
} from '@cadre/domain';
import type { Actor } from '@cadre/kernel';
import { loadAggregate } from '@cadre/command-handling';
import type { EventStore, NewEvent } from '@cadre/event-store';

const DAY_MS = 86_400_000;
const LEVELS: readonly Level[] = ['awareness', 'specialised', 'expert'];
const ACTOR: Actor = { sub: 'bench-coordinator', roles: ['training-coordinator'], jurisdictions: ['*'] };

export interface LoadResult {
  /** Event id → performance.now() when its append was acknowledged (committed). */
  readonly committed: Map<string, number>;
  /** Events per second actually appended (the time until the last append was acknowledged). */
  readonly rate: number;
  readonly errors: number;
}

/**
 * Certification awards on the registered staff members' streams, decided by the staff decider with
 * the framework in force and appended with the expected revision, as the api's command handler
 * does: `CertificationAwarded`, or `CertificationRenewed` when the member already holds that
 * competency at that level. External evidence, a fresh reference each time.
 *
 * Paced at `rate` events/s for exactly `count` events, at most `maxInFlight` appends outstanding
 * (bounded in count and in time: it stops issuing at `count` or after 3× the planned duration).
 */
export class CertificationLoad {
  private next = 0;
  private readonly members = new Map<string, { state: StaffState; revision: number }>();

  private constructor(
    private readonly store: EventStore,
    private readonly framework: Exclude<FrameworkState, { status: 'none' }>,
    private readonly staffIds: readonly string[],
    private readonly competencies: readonly string[],
  ) {}

  static async of(
    store: EventStore,
    frameworkVersion: string,
    staffIds: readonly string[],
    competencies: readonly string[],
  ): Promise<CertificationLoad> {
    const { state } = await loadAggregate(store, `framework-${frameworkVersion}`, frameworkDecider);
    if (state.status === 'none') throw new Error(`framework ${frameworkVersion} is not in the store`);
    return new CertificationLoad(store, state, staffIds, competencies);
  }

  async run(count: number, rate: number, maxInFlight = 64, batch = 1): Promise<LoadResult> {
    const committed = new Map<string, number>();
    let errors = 0;
    let inFlight = 0;
    let issued = 0;
    let last = performance.now();
    const start = performance.now();
    // Unpaced (a backlog): a minute at most; paced: three times the planned duration.
    const deadline = start + Math.max((3 * count * 1000) / rate, rate >= 100_000 ? 60_000 : 0);
    const pending = new Set<Promise<void>>();
    while (issued < count && performance.now() < deadline) {
      const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (issued < due && inFlight < maxInFlight) {
        const size = Math.min(batch, count - issued);
        issued += size;
        inFlight += 1;
        const one: Promise<void> = this.award(size)
          .then((ids) => {
            last = performance.now();
            for (const id of ids) committed.set(id, last);
          })
          .catch(() => {
            errors += 1;
          })
          .finally(() => {
            inFlight -= 1;
            pending.delete(one);
          });
        pending.add(one);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all([...pending]);
    return { committed, rate: committed.size / ((last - start) / 1000), errors };
  }

  /**
   * `size` awards on the next member (round robin, so concurrent appends do not share a stream),
   * appended together (one append of `size` events: the command path cannot produce 1,000
   * events/s on this machine alongside the api, the worker and PostgreSQL). The
   * member's state is kept here between awards instead of re-read from the store each time: the
   * generator must stay light, or it would starve the consumers sharing its process.
   */
  private async award(size = 1): Promise<string[]> {
    const m = this.next++;
    const staffId = this.staffIds[m % this.staffIds.length];
    const stream = staffStream(staffId);
    let member = this.members.get(staffId);
    if (!member) {
      const loaded = await loadAggregate(this.store, stream, staffDecider);
      member = { state: loaded.state, revision: loaded.revision };
      this.members.set(staffId, member);
    }
    const now = new Date().toISOString();
    const events: NewEvent[] = [];
    let state = member.state;
    for (let k = 0; k < size; k += 1) {
      const decided = this.decide(m * size + k, staffId, state, now);
      events.push(...decided);
      state = decided.reduce(
        (current, event) =>
          staffDecider.evolve(current, {
            type: event.type,
            data: event.data,
            metadata: { eventId: event.eventId, occurredAt: now },
          } as unknown as StaffEvent),
        state,
      );
    }
    try {
      const result = await this.store.append(stream, events, {
        expectedRevision: member.revision < 0 ? 'no_stream' : member.revision,
      });
      member.revision = result.nextRevision;
      member.state = state;
    } catch (error) {
      this.members.delete(staffId);
      throw error;
    }
    return events.map((event) => event.eventId);
  }

  /** The events of the `n`th award (competency and level vary with n), on `state`. */
  private decide(n: number, staffId: string, state: StaffState, now: string): NewEvent[] {
    const competency = this.competencies[Math.floor(n / this.staffIds.length) % this.competencies.length];
    const level = LEVELS[Math.floor(n / (this.staffIds.length * this.competencies.length)) % LEVELS.length];
    const decided = staffDecider.decide(
      {
        type: 'AwardCertification',
        data: {
          staffId,
          competency,
          level,
          validFrom: new Date(Date.now() - (1 + (n % 60)) * DAY_MS).toISOString(),
          evidence: { kind: 'external', issuer: 'Bench academy', reference: randomUUID() },
        },
      },
      state,
      { now, newId: randomUUID, actor: ACTOR, framework: this.framework },
    );
    const correlationId = randomUUID();
    return decided.map((event) => ({
      eventId: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        correlationId,
        causationId: correlationId,
        actor: { sub: ACTOR.sub, roles: [...ACTOR.roles], jurisdictions: [...ACTOR.jurisdictions] },
        occurredAt: now,
        schemaVersion: schemaVersionOf(event.type),
      },
    }));
  }
}

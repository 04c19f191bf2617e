import { CloudEvent } from 'cloudevents';
import { staffDecider, staffStream, type StaffEvent, type StaffState } from '@cadre/domain';
import { toDomainEvent } from '@cadre/command-handling';
import type { EventStore, RecordedEvent } from '@cadre/event-store';
import {
  PUBLIC_TYPE_OF,
  type CertificationCloudEventJson,
  type CertificationEventData,
  type InternalCertificationType,
} from './certification-types.js';

export interface CertificationEventMapperOptions {
  /** The CloudEvents `source`: CADRE_EVENT_SOURCE. */
  readonly source: string;
  /**
   * The employeeRef of a member from the sealed personal data they were registered with; null
   * once erased (the data key is gone).
   */
  readonly unsealEmployeeRef: (staffId: string, sealed: unknown) => Promise<string | null>;
}

/** One public event, with what the feed filters on. */
export interface PublicCertificationEvent {
  readonly cloudEvent: CloudEvent<CertificationEventData>;
  readonly jurisdiction: string;
  readonly position: string;
}

type Period = StaffCertification['periods'][number];

/** A member's stream folded up to `revision`, and the sealed personal data it was registered with. */
interface FoldedStream {
  readonly revision: number;
  readonly state: StaffState;
  readonly seal: unknown;
}

/** Streams whose folded state a mapper keeps (about a kilobyte each). */
const MAX_FOLDED_STREAMS = 10_000;

/** A void reads the state before it (the period it voids); any other event, the state after it. */
const stateRevision = (event: RecordedEvent): number =>
  event.type === 'RecordVoided' ? event.revision - 1 : event.revision;
type StaffCertification = Extract<StaffState, { status: 'active' }>['certifications'][string];

/**
 * Internal staff events → the public contract (CloudEvents 1.0 built with the `cloudevents` SDK):
 * id = the event id, subject = the member's surrogate id, time = occurredAt, `sequence` = the
 * event's position in the log (the feed cursor). The certification's details come from the
 * member's stream folded up to the event (so a later change never rewrites a past event); the
 * employeeRef is unsealed now (null once erased).
 */
export class CertificationEventMapper {
  private readonly folded = new Map<string, FoldedStream>();

  constructor(
    private readonly store: EventStore,
    private readonly options: CertificationEventMapperOptions,
  ) {}

  /**
   * A mapper of the same store and options with a cache of its own: for a reader that goes
   * through the log at its own pace (a webhook deliverer behind its runner), whose folds would
   * otherwise be ahead of what it maps — read again from each stream's start every time.
   */
  fork(): CertificationEventMapper {
    return new CertificationEventMapper(this.store, this.options);
  }

  /** Whether the recorded event belongs to the contract (voids of other records do not). */
  static isPublic(event: RecordedEvent): boolean {
    if (!event.stream.startsWith('staff-') || !(event.type in PUBLIC_TYPE_OF)) return false;
    if (event.type !== 'RecordVoided') return true;
    const target = (event.data as { targetType?: string }).targetType;
    return target === 'CertificationAwarded' || target === 'CertificationRenewed';
  }

  /**
   * The public event `eventId` of member `staffId`, mapped as the feed maps it now — rebuilt from
   * the log, so an erased member's employeeRef is null — or null when their stream holds no such
   * public event. What a dead letter (ids and position only) is redelivered as.
   */
  async mapById(staffId: string, eventId: string): Promise<PublicCertificationEvent | null> {
    const event = (await this.store.readStream(staffStream(staffId))).find((e) => e.eventId === eventId);
    return event ? ((await this.map([event]))[0] ?? null) : null;
  }

  /**
   * The public events among `events`, in their order. A member's state at each event comes from
   * their stream folded up to it: folded once per page, forward from the state this mapper kept
   * of that stream the last time (streams only grow, so a state at a revision never changes),
   * with the page's own events when they continue it without a gap, else with the stream read
   * from there; a page older than the kept state is folded from the start. Each employeeRef is unsealed once
   * per page, never kept: an erasure shows at once.
   */
  async map(events: readonly RecordedEvent[]): Promise<PublicCertificationEvent[]> {
    const wanted = events.filter((event) => CertificationEventMapper.isPublic(event));
    const needed = new Map<string, Map<number, StaffState>>();
    for (const event of wanted) {
      const revisions = needed.get(event.stream) ?? new Map<number, StaffState>();
      revisions.set(stateRevision(event), staffDecider.initialState());
      needed.set(event.stream, revisions);
    }
    const seals = new Map<string, unknown>();
    await Promise.all(
      [...needed.entries()].map(async ([stream, revisions]) => {
        const first = Math.min(...revisions.keys());
        const kept = this.folded.get(stream);
        const from = kept && kept.revision <= first ? kept : null;
        // The page itself usually carries what follows the kept state (a member's stream is
        // mostly certification events): fold those without reading the stream again.
        const recorded =
          (from && this.following(events, stream, from.revision, Math.max(...revisions.keys()))) ??
          (await this.store.readStream(stream, { fromRevision: from ? from.revision + 1 : 0 }));
        let state = from?.state ?? staffDecider.initialState();
        let seal = from?.seal;
        let revision = from?.revision ?? -1;
        if (revisions.has(revision)) revisions.set(revision, state);
        for (const event of recorded) {
          state = staffDecider.evolve(state, toDomainEvent<StaffEvent>(event));
          revision = event.revision;
          if (event.type === 'StaffMemberRegistered') {
            seal = (event.data as { personalData?: unknown }).personalData;
          }
          if (revisions.has(revision)) revisions.set(revision, state);
        }
        seals.set(stream, seal);
        this.keep(stream, { revision, state, seal });
      }),
    );
    const employeeRefs = new Map<string, Promise<string | null>>();
    const mapped: PublicCertificationEvent[] = [];
    for (const event of wanted) {
      const state = needed.get(event.stream)?.get(stateRevision(event)) ?? staffDecider.initialState();
      const one = await this.mapOne(event, state, seals.get(event.stream), employeeRefs);
      if (one) mapped.push(one);
    }
    return mapped;
  }

  /**
   * The events of `stream` in `page` right after `revision`, when they follow it without a gap up
   * to `until` at least (the page's filter may have left out some of the stream's events); null
   * when the stream must be read.
   */
  private following(
    page: readonly RecordedEvent[],
    stream: string,
    revision: number,
    until: number,
  ): RecordedEvent[] | null {
    const next: RecordedEvent[] = [];
    for (const event of page) {
      if (event.stream !== stream || event.revision <= revision) continue;
      if (event.revision !== revision + next.length + 1) return null;
      next.push(event);
    }
    return revision + next.length >= until ? next : null;
  }

  /** Keeps a stream's folded state (the furthest one), the least recently used going first. */
  private keep(stream: string, folded: FoldedStream): void {
    const current = this.folded.get(stream);
    if (current && current.revision > folded.revision) return;
    this.folded.delete(stream);
    this.folded.set(stream, folded);
    if (this.folded.size > MAX_FOLDED_STREAMS) {
      this.folded.delete(this.folded.keys().next().value as string);
    }
  }

  private async mapOne(
    event: RecordedEvent,
    state: StaffState,
    seal: unknown,
    employeeRefs: Map<string, Promise<string | null>>,
  ): Promise<PublicCertificationEvent | null> {
    const voided = event.type === 'RecordVoided';
    if (state.status === 'unregistered') return null;
    const data = event.data as { certificationId?: string; targetEventId?: string; validUntil?: string };
    let certification: StaffCertification | undefined;
    let period: Period | undefined;
    if (voided) {
      for (const c of Object.values(state.certifications)) {
        const found = c.periods.find((p) => p.eventId === data.targetEventId);
        if (found) [certification, period] = [c, found];
      }
    } else {
      certification = data.certificationId ? state.certifications[data.certificationId] : undefined;
      const periods = certification?.periods ?? [];
      period =
        (data.validUntil ? periods.find((p) => p.validUntil === data.validUntil) : undefined) ??
        (event.type === 'CertificationAwarded' || event.type === 'CertificationRenewed'
          ? periods.find((p) => p.eventId === event.eventId)
          : undefined) ??
        periods.filter((p) => !p.voided).at(-1) ??
        periods.at(-1);
    }
    if (!certification || !period) return null;
    let unsealed = employeeRefs.get(state.staffId);
    if (!unsealed) {
      unsealed = this.options.unsealEmployeeRef(state.staffId, seal);
      employeeRefs.set(state.staffId, unsealed);
    }
    const employeeRef = await unsealed;
    const payload: CertificationEventData = {
      certificationId: certification.certificationId,
      employeeRef,
      competency: certification.competency,
      level: certification.level,
      validFrom: period.validFrom,
      validUntil: period.validUntil,
      evidence: period.evidence,
      jurisdiction: state.jurisdiction,
      frameworkVersion: period.frameworkVersion,
      ...(voided
        ? {
            voidedEventId: data.targetEventId,
            voidedType:
              certification.periods[0] === period
                ? PUBLIC_TYPE_OF.CertificationAwarded
                : PUBLIC_TYPE_OF.CertificationRenewed,
          }
        : {}),
    };
    const cloudEvent = new CloudEvent<CertificationEventData>({
      specversion: '1.0',
      id: event.eventId,
      type: PUBLIC_TYPE_OF[event.type as InternalCertificationType],
      source: this.options.source,
      subject: state.staffId,
      time: event.metadata.occurredAt,
      datacontenttype: 'application/json',
      data: payload,
      sequence: event.position,
    });
    return { cloudEvent, jurisdiction: state.jurisdiction, position: event.position };
  }
}

/** The structured JSON form of a contract event (the body of a webhook, an item of the feed). */
export const toStructuredJson = (event: CloudEvent<CertificationEventData>): CertificationCloudEventJson =>
  event.toJSON() as unknown as CertificationCloudEventJson;

import { CloudEvent } from 'cloudevents';
import { staffDecider, type StaffEvent, type StaffState } from '@cadre/domain';
import { toDomainEvent, type EventStore, type RecordedEvent } from '@cadre/event-store';
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
type StaffCertification = Extract<StaffState, { status: 'active' }>['certifications'][string];

/**
 * Internal staff events → the public contract (CloudEvents 1.0 built with the `cloudevents` SDK):
 * id = the event id, subject = the member's surrogate id, time = occurredAt, `sequence` = the
 * event's position in the log (the feed cursor). The certification's details come from the
 * member's stream folded up to the event (so a later change never rewrites a past event); the
 * employeeRef is unsealed now (null once erased).
 */
export class CertificationEventMapper {
  constructor(
    private readonly store: EventStore,
    private readonly options: CertificationEventMapperOptions,
  ) {}

  /** Whether the recorded event belongs to the contract (voids of other records do not). */
  static isPublic(event: RecordedEvent): boolean {
    if (!event.stream.startsWith('staff-') || !(event.type in PUBLIC_TYPE_OF)) return false;
    if (event.type !== 'RecordVoided') return true;
    const target = (event.data as { targetType?: string }).targetType;
    return target === 'CertificationAwarded' || target === 'CertificationRenewed';
  }

  /**
   * The public events among `events`, in their order. Each member's stream is read once and
   * folded once, up to the last event the page needs, keeping the states the page's events need;
   * each member's employeeRef is unsealed once.
   */
  async map(events: readonly RecordedEvent[]): Promise<PublicCertificationEvent[]> {
    const wanted = events.filter((event) => CertificationEventMapper.isPublic(event));
    const states = new Map<string, Map<number, StaffState>>();
    const streams = new Map<string, RecordedEvent[]>();
    for (const event of wanted) {
      const revisions = states.get(event.stream) ?? new Map<number, StaffState>();
      // A void reads the state before it (the period it voids); any other event, the state after it.
      revisions.set(
        event.type === 'RecordVoided' ? event.revision - 1 : event.revision,
        staffDecider.initialState(),
      );
      states.set(event.stream, revisions);
    }
    await Promise.all(
      [...states.entries()].map(async ([stream, revisions]) => {
        const recorded = await this.store.readStream(stream);
        streams.set(stream, recorded);
        const last = Math.max(...revisions.keys());
        let state = staffDecider.initialState();
        for (const event of recorded) {
          if (event.revision > last) break;
          state = staffDecider.evolve(state, toDomainEvent<StaffEvent>(event));
          if (revisions.has(event.revision)) revisions.set(event.revision, state);
        }
      }),
    );
    const employeeRefs = new Map<string, Promise<string | null>>();
    const mapped: PublicCertificationEvent[] = [];
    for (const event of wanted) {
      const revision = event.type === 'RecordVoided' ? event.revision - 1 : event.revision;
      const state = states.get(event.stream)?.get(revision) ?? staffDecider.initialState();
      const one = await this.mapOne(event, state, streams.get(event.stream) ?? [], employeeRefs);
      if (one) mapped.push(one);
    }
    return mapped;
  }

  private async mapOne(
    event: RecordedEvent,
    state: StaffState,
    stream: readonly RecordedEvent[],
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
      const registered = stream.find((e) => e.type === 'StaffMemberRegistered');
      unsealed = this.options.unsealEmployeeRef(
        state.staffId,
        (registered?.data as { personalData?: unknown } | undefined)?.personalData,
      );
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

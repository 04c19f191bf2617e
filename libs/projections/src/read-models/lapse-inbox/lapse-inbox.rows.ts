import type { RecordedEvent } from '@cadre/event-store';

/** A line of the inbox: one MemberQualificationLapsed, and its acknowledgement once recorded. */
export interface LapseRow {
  readonly lapseId: string;
  readonly teamId: string;
  readonly staffId: string;
  readonly certificationId: string;
  readonly cause: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

export interface AcknowledgementRow {
  readonly lapseId: string;
  readonly acknowledgedBy: string;
  readonly acknowledgedAt: string;
  readonly note: string | null;
}

/** The row a lapse event gives (its id is the event's: what the acknowledgement names). */
export const lapseRow = (event: RecordedEvent): LapseRow => {
  const d = event.data as { teamId: string; staffId: string; certificationId: string; cause: string };
  return {
    lapseId: event.eventId,
    teamId: d.teamId,
    staffId: d.staffId,
    certificationId: d.certificationId,
    cause: d.cause,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
  };
};

export const acknowledgementRow = (event: RecordedEvent): AcknowledgementRow => {
  const d = event.data as { lapseId: string; acknowledgedBy: string; note: string | null };
  return {
    lapseId: d.lapseId,
    acknowledgedBy: d.acknowledgedBy,
    acknowledgedAt: event.metadata.occurredAt,
    note: d.note ?? null,
  };
};

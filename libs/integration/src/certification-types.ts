/** The public event types of the certification contract, by the internal event they publish. */
export const PUBLIC_TYPE_OF = {
  CertificationAwarded: 'org.cadre.certification.awarded.v1',
  CertificationRenewed: 'org.cadre.certification.renewed.v1',
  RecertificationWindowOpened: 'org.cadre.certification.window-opened.v1',
  CertificationExpiryWarned: 'org.cadre.certification.expiry-warned.v1',
  CertificationExpired: 'org.cadre.certification.expired.v1',
  CertificationSuspended: 'org.cadre.certification.suspended.v1',
  CertificationReinstated: 'org.cadre.certification.reinstated.v1',
  CertificationRevoked: 'org.cadre.certification.revoked.v1',
  RecordVoided: 'org.cadre.certification.voided.v1',
} as const;

export type InternalCertificationType = keyof typeof PUBLIC_TYPE_OF;
export type CertificationEventType = (typeof PUBLIC_TYPE_OF)[InternalCertificationType];

/** Every public type, in a stable order. */
export const CERTIFICATION_EVENT_TYPES: readonly CertificationEventType[] = Object.values(PUBLIC_TYPE_OF);

export const isCertificationEventType = (value: string): value is CertificationEventType =>
  (CERTIFICATION_EVENT_TYPES as readonly string[]).includes(value);

/** What the feed reads from the log: the certification events of staff streams (voids included). */
export const CERTIFICATION_FILTER = {
  eventTypePrefixes: Object.keys(PUBLIC_TYPE_OF),
  streamCategories: ['staff'],
} as const;

export type Evidence =
  | { readonly kind: 'session'; readonly sessionId: string; readonly assessmentEventId: string }
  | { readonly kind: 'external'; readonly issuer: string; readonly reference: string };

/** The `data` of every certification event: no name, no e-mail. */
export interface CertificationEventData {
  readonly certificationId: string;
  /** Unsealed at delivery; null once the person's personal data was erased. */
  readonly employeeRef: string | null;
  readonly competency: string;
  readonly level: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly evidence: Evidence;
  readonly jurisdiction: string;
  readonly frameworkVersion: string;
  /** Voided only: the award or renewal voided. */
  readonly voidedEventId?: string;
  readonly voidedType?: CertificationEventType;
}

/** A CloudEvent 1.0 of the contract in structured JSON mode (what the feed and webhooks carry). */
export interface CertificationCloudEventJson {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: CertificationEventType;
  readonly subject: string;
  readonly time: string;
  readonly sequence: string;
  readonly datacontenttype: 'application/json';
  readonly data: CertificationEventData;
}

import type { Agency } from '../shared/agencies.js';
import type { RecordVoided } from '../shared/corrections.js';
import type { DomainEvent } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';
import type { Instant } from '../shared/time.js';

/**
 * Name, e-mail and employeeRef, sealed (AES-256-GCM) by the handler with the member's data key.
 * The domain never reads inside it: erasure destroys the key, not the event.
 */
export interface SealedPersonalData {
  readonly ciphertext: string;
  readonly [field: string]: string;
}

/** No award without evidence: a passed assessment of a session, or an external issuer's reference. */
export type Evidence =
  | { readonly kind: 'session'; readonly sessionId: string; readonly assessmentEventId: string }
  | { readonly kind: 'external'; readonly issuer: string; readonly reference: string };

export interface Placement {
  readonly agency: Agency;
  readonly jurisdiction: string;
  readonly institution: string;
}

export type StaffMemberRegistered = DomainEvent<
  'StaffMemberRegistered',
  Placement & { readonly staffId: string; readonly role: string; readonly personalData: SealedPersonalData }
>;
export type StaffMemberRoleChanged = DomainEvent<
  'StaffMemberRoleChanged',
  { readonly staffId: string; readonly role: string; readonly previousRole: string }
>;
export type StaffMemberTransferred = DomainEvent<
  'StaffMemberTransferred',
  Placement & { readonly staffId: string; readonly from: Placement }
>;
export type StaffMemberLeft = DomainEvent<'StaffMemberLeft', { readonly staffId: string }>;
export type StaffPersonalDataErased = DomainEvent<'StaffPersonalDataErased', { readonly staffId: string }>;

interface ValidityData {
  readonly staffId: string;
  readonly certificationId: string;
  readonly validFrom: Instant;
  readonly validUntil: Instant;
  readonly windowOpensAt: Instant;
  readonly evidence: Evidence;
  readonly frameworkVersion: string;
}

export type CertificationAwarded = DomainEvent<
  'CertificationAwarded',
  ValidityData & { readonly competency: string; readonly level: Level }
>;
export type CertificationRenewed = DomainEvent<'CertificationRenewed', ValidityData>;

/** Notifications as time passes; each names the `validUntil` of the period it concerns. */
type Notice = { readonly staffId: string; readonly certificationId: string; readonly validUntil: Instant };
export type RecertificationWindowOpened = DomainEvent<'RecertificationWindowOpened', Notice>;
export type CertificationExpiryWarned = DomainEvent<'CertificationExpiryWarned', Notice>;
export type CertificationExpired = DomainEvent<'CertificationExpired', Notice>;

type Decision = { readonly staffId: string; readonly certificationId: string; readonly reason: string };
export type CertificationSuspended = DomainEvent<'CertificationSuspended', Decision>;
export type CertificationReinstated = DomainEvent<
  'CertificationReinstated',
  { readonly staffId: string; readonly certificationId: string; readonly reason: string | null }
>;
export type CertificationRevoked = DomainEvent<'CertificationRevoked', Decision>;

export type StaffEvent =
  | StaffMemberRegistered
  | StaffMemberRoleChanged
  | StaffMemberTransferred
  | StaffMemberLeft
  | StaffPersonalDataErased
  | CertificationAwarded
  | CertificationRenewed
  | RecertificationWindowOpened
  | CertificationExpiryWarned
  | CertificationExpired
  | CertificationSuspended
  | CertificationReinstated
  | CertificationRevoked
  | RecordVoided;

export const staffStream = (staffId: string): string => `staff-${staffId}`;

import type { Agency } from '../shared/agencies.js';
import type { VoidRecord } from '../shared/corrections.js';
import type { DomainCommand } from '../shared/decider.js';
import type { Level } from '../shared/levels.js';
import type { Instant } from '../shared/time.js';
import type { Evidence, SealedPersonalData } from './staff.events.js';

/** `staffId` is a random surrogate chosen by the handler; the employeeRef is reserved separately. */
export type RegisterStaffMember = DomainCommand<
  'RegisterStaffMember',
  {
    readonly staffId: string;
    readonly agency: Agency;
    readonly jurisdiction: string;
    readonly institution: string;
    readonly role: string;
    readonly personalData: SealedPersonalData;
  }
>;
export type ChangeStaffRole = DomainCommand<
  'ChangeStaffRole',
  { readonly staffId: string; readonly role: string }
>;
/** A member is in one agency, jurisdiction and institution at a time; omitted fields stay as they are. */
export type TransferStaffMember = DomainCommand<
  'TransferStaffMember',
  {
    readonly staffId: string;
    readonly institution: string;
    readonly jurisdiction?: string;
    readonly agency?: Agency;
  }
>;
export type RecordStaffDeparture = DomainCommand<'RecordStaffDeparture', { readonly staffId: string }>;
export type ErasePersonalData = DomainCommand<'ErasePersonalData', { readonly staffId: string }>;

/** `validUntil` is never typed in: the framework in force gives it. */
export type AwardCertification = DomainCommand<
  'AwardCertification',
  {
    readonly staffId: string;
    readonly competency: string;
    readonly level: Level;
    readonly validFrom: Instant;
    readonly evidence: Evidence;
  }
>;

/**
 * A new external award of a named certification's competency and level: the award would renew
 * any such certification valid then; this pins which one the caller means, and is refused where
 * the award would become a different certification (it expired: record a new one).
 */
export type RenewCertification = DomainCommand<
  'RenewCertification',
  {
    readonly staffId: string;
    readonly certificationId: string;
    readonly validFrom: Instant;
    readonly evidence: Extract<Evidence, { kind: 'external' }>;
  }
>;

type CertificationDecision = {
  readonly staffId: string;
  readonly certificationId: string;
  readonly reason: string;
};
export type SuspendCertification = DomainCommand<'SuspendCertification', CertificationDecision>;
export type ReinstateCertification = DomainCommand<
  'ReinstateCertification',
  { readonly staffId: string; readonly certificationId: string; readonly reason?: string }
>;
export type RevokeCertification = DomainCommand<'RevokeCertification', CertificationDecision>;

/**
 * Sent by the award process when an assessment of a closed session is voided: every award and
 * renewal whose evidence it was is voided too. `reason` is the assessment's void reason.
 */
export type VoidAssessmentAwards = DomainCommand<
  'VoidAssessmentAwards',
  {
    readonly staffId: string;
    readonly sessionId: string;
    readonly assessmentEventId: string;
    readonly reason: string;
  }
>;

/** Sent by the expiry process as time passes; each is recorded once per validity period. */
type Scheduled = { readonly staffId: string; readonly certificationId: string };
export type OpenRecertificationWindow = DomainCommand<'OpenRecertificationWindow', Scheduled>;
export type WarnCertificationExpiry = DomainCommand<'WarnCertificationExpiry', Scheduled>;
export type ExpireCertification = DomainCommand<'ExpireCertification', Scheduled>;

export type StaffMemberCommand =
  RegisterStaffMember | ChangeStaffRole | TransferStaffMember | RecordStaffDeparture | ErasePersonalData;

export type CertificationCommand =
  | AwardCertification
  | RenewCertification
  | SuspendCertification
  | ReinstateCertification
  | RevokeCertification
  | OpenRecertificationWindow
  | WarnCertificationExpiry
  | ExpireCertification
  | VoidRecord
  | VoidAssessmentAwards;

export type StaffCommand = StaffMemberCommand | CertificationCommand;

import {
  DomainConflictError,
  DomainNotFoundError,
  DomainRuleError,
  DomainValidationError,
} from '../shared/domain-errors.js';
import type { Instant } from '../shared/time.js';

/** Refusals concerning a staff member and their certifications, by stable code. */
export const staffErrors = {
  notFound: (staffId: string) =>
    new DomainNotFoundError('STAFF.NOT_FOUND', 'This staff member is not registered.', { staffId }),
  alreadyRegistered: (staffId: string) =>
    new DomainConflictError('STAFF.ALREADY_REGISTERED', 'This staff member is already registered.', {
      staffId,
    }),
  employeeRefTaken: (jurisdiction: string) =>
    new DomainConflictError(
      'STAFF.EMPLOYEE_REF_TAKEN',
      `Another staff member of ${jurisdiction} is already registered with this employee reference.`,
      { jurisdiction },
    ),
  memberLeft: (staffId: string) =>
    new DomainRuleError(
      'STAFF.MEMBER_LEFT',
      'This staff member has left the service: nothing more can be awarded or changed.',
      { staffId },
    ),
  unknownRole: (role: string, version: string) =>
    new DomainRuleError(
      'STAFF.UNKNOWN_ROLE',
      `"${role}" is not a role of the framework in force (${version}).`,
      {
        role,
        frameworkVersion: version,
      },
    ),
  sealedDataRequired: () =>
    new DomainValidationError(
      'STAFF.PERSONAL_DATA_NOT_SEALED',
      'Personal data must be sealed before it is recorded.',
    ),
  nothingToChange: (staffId: string) =>
    new DomainConflictError(
      'STAFF.NOTHING_TO_CHANGE',
      'The staff member is already placed there in that role.',
      {
        staffId,
      },
    ),
};

export const certificationErrors = {
  notFound: (certificationId: string) =>
    new DomainNotFoundError('CERTIFICATION.NOT_FOUND', 'This staff member holds no such certification.', {
      certificationId,
    }),
  evidenceRequired: () =>
    new DomainValidationError(
      'CERTIFICATION.EVIDENCE_REQUIRED',
      'A certification needs evidence: a passed session assessment, or the external issuer and its reference.',
    ),
  validFromInFuture: (validFrom: Instant) =>
    new DomainValidationError(
      'CERTIFICATION.VALID_FROM_IN_FUTURE',
      'A certification cannot start in the future: record it once it has been earned.',
      { validFrom },
    ),
  suspended: (certificationId: string) =>
    new DomainConflictError(
      'CERTIFICATION.SUSPENDED',
      'This certification is suspended: reinstate it before it can be renewed.',
      { certificationId },
    ),
  alreadySuspended: (certificationId: string) =>
    new DomainConflictError('CERTIFICATION.ALREADY_SUSPENDED', 'This certification is already suspended.', {
      certificationId,
    }),
  notSuspended: (certificationId: string) =>
    new DomainConflictError(
      'CERTIFICATION.NOT_SUSPENDED',
      'Only a suspended certification can be reinstated.',
      {
        certificationId,
      },
    ),
  revoked: (certificationId: string) =>
    new DomainConflictError(
      'CERTIFICATION.REVOKED',
      'This certification has been revoked and cannot change.',
      {
        certificationId,
      },
    ),
  notDue: (certificationId: string, dueAt: Instant) =>
    new DomainRuleError('CERTIFICATION.NOT_DUE', `This is not due before ${dueAt}.`, {
      certificationId,
      dueAt,
    }),
};

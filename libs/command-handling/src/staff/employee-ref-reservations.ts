import { Inject, Injectable } from '@nestjs/common';
import {
  employeeRefDecider,
  employeeRefStream,
  type EmployeeRefCommand,
  type EmployeeRefState,
} from '@cadre/domain';
import { PersonalDataVault } from '@cadre/personal-data';
import { PINO_LOGGER } from '@cadre/platform';
import type { Logger } from 'pino';
import { CommandRunner, type CommandRequest } from '../nest/command-runner.js';
import { employeeRefKey } from './staff-personal-data.js';

/**
 * The employeeRef reservations (`employee-ref-<jurisdiction>-<blind index>`), one stream per
 * reference and jurisdiction, through the employee-ref decider: the reference itself never
 * appears in a stream name or an event, only its keyed hash.
 */
@Injectable()
export class EmployeeRefReservations {
  constructor(
    private readonly runner: CommandRunner,
    private readonly vault: PersonalDataVault,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Reserves the reference for the member; 409 STAFF.EMPLOYEE_REF_TAKEN when another holds it.
   * Answers the holder: another member only when this request's `Idempotency-Key` reserved it for
   * that one in an attempt cut short (the retry goes on with that member, decision 0019).
   */
  async reserve(
    jurisdiction: string,
    employeeRef: string,
    staffId: string,
    request: CommandRequest,
  ): Promise<string> {
    const state = await this.send('ReserveEmployeeRef', jurisdiction, employeeRef, staffId, request);
    if (state.status === 'reserved') return state.staffId;
    // The attempt cut short had reserved it and freed it again: reserve it anew.
    const plain = request.idempotency && { key: request.idempotency.key, scope: request.idempotency.scope };
    await this.send('ReserveEmployeeRef', jurisdiction, employeeRef, staffId, {
      ...request,
      idempotency: plain,
    });
    return staffId;
  }

  /** Frees the member's reservation (nothing if another member holds it); a failure propagates. */
  async free(jurisdiction: string, employeeRef: string, staffId: string, request: CommandRequest) {
    await this.send('ReleaseEmployeeRef', jurisdiction, employeeRef, staffId, request);
  }

  /**
   * Frees the member's reservation. Best effort: it runs after another write failed or succeeded,
   * and must not hide that outcome; a reservation left behind blocks only that one reference.
   */
  async release(jurisdiction: string, employeeRef: string, staffId: string, request: CommandRequest) {
    await this.free(jurisdiction, employeeRef, staffId, request).catch((error: unknown) =>
      this.logger.error(
        { err: error, staffId, jurisdiction },
        "employeeRef reservation could not be released; it blocks that reference until freed (a registration's: by the orphans process after the grace period)",
      ),
    );
  }

  /**
   * Reserves the reference for the member again after a write that followed `free` failed. Best
   * effort, like `release`: the failure being undone is the one the caller must see.
   */
  async restore(jurisdiction: string, employeeRef: string, staffId: string, request: CommandRequest) {
    await this.reserve(jurisdiction, employeeRef, staffId, request).catch((error: unknown) =>
      this.logger.error(
        { err: error, staffId, jurisdiction },
        'employeeRef reservation could not be restored; the reference is free while its holder is not erased',
      ),
    );
  }

  private async send(
    type: EmployeeRefCommand['type'],
    jurisdiction: string,
    employeeRef: string,
    staffId: string,
    request: CommandRequest,
  ): Promise<EmployeeRefState> {
    const refKey = employeeRefKey(this.vault, jurisdiction, employeeRef);
    const { state } = await this.runner.run(
      {
        stream: employeeRefStream(jurisdiction, refKey),
        decider: employeeRefDecider,
        command: { type, data: { jurisdiction, refKey, staffId } },
      },
      request,
      { honourIfMatch: false },
    );
    return state;
  }
}

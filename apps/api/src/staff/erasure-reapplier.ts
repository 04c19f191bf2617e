import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type Position } from '@cadre/event-store';
import { PersonalDataVault } from '@cadre/personal-data';
import { PINO_LOGGER } from '@cadre/platform';
import type { Logger } from 'pino';

const ERASED = 'StaffPersonalDataErased';
const PAGE = 1000;

/**
 * At every start, destroys again the data key of every member whose erasure the log records. The
 * key table lives in an ordinary database that may be restored from an old backup; the log is the
 * truth, so a restore can never bring a forgotten person back. Reads only the erasure events
 * (filtered by type, page by page); the start waits for it, so no request unseals before.
 */
@Injectable()
export class ErasureReapplier implements OnApplicationBootstrap {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const reapplied = await this.reapply();
    if (reapplied > 0) {
      this.logger.warn({ reapplied }, 'erasures recorded in the log were re-applied to the key table');
    }
  }

  /** Returns how many data keys had come back and were destroyed again. */
  async reapply(): Promise<number> {
    let after: Position | undefined;
    let reapplied = 0;
    for (;;) {
      const page = await this.store.readAll({ after, limit: PAGE, filter: { eventTypePrefixes: [ERASED] } });
      const subjects = page
        .filter((event) => event.type === ERASED)
        .map((event) => (event.data as { staffId: string }).staffId);
      reapplied += await this.vault.reapplyErasures(subjects);
      if (page.length < PAGE) return reapplied;
      after = page.at(-1)?.position;
    }
  }
}

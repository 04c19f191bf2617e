import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type Position, type RecordedEvent } from '@cadre/event-store';
import { PersonalDataVault } from '@cadre/personal-data';
import { PINO_LOGGER } from '@cadre/platform';
import type { Logger } from 'pino';
import { readLog } from '@cadre/subscriptions';

const ERASED = 'StaffPersonalDataErased';
const PAGE = 1000;
/** How often the erasures recorded since the last pass are re-applied, after the start. */
const FOLLOW_INTERVAL_MS = 5_000;

/**
 * Destroys again the data key of every member whose erasure the log records. The key table lives
 * in an ordinary database that may be restored from an old backup; the log is the truth, so a
 * restore can never bring a forgotten person back.
 *
 * At start (module init: before any bootstrap hook, so before the first request) every erasure
 * readable then is re-applied, filtered by type, page by page. The store shows only events below
 * its visibility horizon (a transaction still running anywhere holds it back), so the same pass
 * then runs every few seconds from where the last one stopped: an erasure committed just before
 * the start, or recorded later by another replica, is re-applied as soon as the store shows it.
 * (A timer rather than a live subscription: nothing stays open that could hold the shutdown.)
 */
@Injectable()
export class ErasureReapplier implements OnModuleInit, OnModuleDestroy {
  private after: Position | undefined;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reapply();
    this.timer = setInterval(() => {
      this.pass = this.reapply().catch((error: unknown) =>
        this.logger.error({ err: error }, 're-applying recorded erasures failed; retried shortly'),
      );
    }, FOLLOW_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops before the store closes (module destroy comes before the database shutdown). */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pass;
  }

  /** Re-applies the erasures recorded since the last pass; returns how many keys had come back. */
  async reapply(): Promise<number> {
    let reapplied = 0;
    const pages = readLog(this.store, {
      after: this.after,
      filter: { eventTypePrefixes: [ERASED] },
      pageSize: PAGE,
    });
    for await (const page of pages) {
      reapplied += await this.vault.reapplyErasures(erasedSubjects(page));
      this.after = page.at(-1)!.position;
    }
    if (reapplied > 0) {
      this.logger.warn({ reapplied }, 'erasures recorded in the log were re-applied to the key table');
    }
    return reapplied;
  }
}

function erasedSubjects(events: readonly RecordedEvent[]): string[] {
  return events
    .filter((event) => event.type === ERASED)
    .map((event) => (event.data as { staffId: string }).staffId);
}

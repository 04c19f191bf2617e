import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  EVENT_STORE,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@cadre/event-store';
import { PersonalDataVault } from '@cadre/personal-data';
import { PINO_LOGGER } from '@cadre/platform';
import type { Logger } from 'pino';

const ERASED = 'StaffPersonalDataErased';
const PAGE = 1000;

/**
 * Destroys again the data key of every member whose erasure the log records. The key table lives
 * in an ordinary database that may be restored from an old backup; the log is the truth, so a
 * restore can never bring a forgotten person back.
 *
 * At start, the erasures readable now are re-applied (filtered by type, page by page) before the
 * app serves a request. The store shows only events below its visibility horizon (a transaction
 * still running anywhere holds it back), so a filtered subscription then follows from there for
 * the life of the process: an erasure committed just before the start, or recorded later by
 * another replica, is re-applied as soon as the store shows it.
 */
@Injectable()
export class ErasureReapplier implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | null = null;
  private following: Promise<void> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { reapplied, after } = await this.catchUp();
    if (reapplied > 0) {
      this.logger.warn({ reapplied }, 'erasures recorded in the log were re-applied to the key table');
    }
    this.subscription = this.store.subscribeToAll({ after, filter: { eventTypePrefixes: [ERASED] } });
    this.following = this.follow(this.subscription);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    await this.following;
  }

  /** Re-applies every erasure readable now; returns how many keys had come back, and where it stopped. */
  async catchUp(): Promise<{ reapplied: number; after: Position | undefined }> {
    let after: Position | undefined;
    let reapplied = 0;
    for (;;) {
      const page = await this.store.readAll({ after, limit: PAGE, filter: { eventTypePrefixes: [ERASED] } });
      reapplied += await this.vault.reapplyErasures(erasedSubjects(page));
      after = page.at(-1)?.position ?? after;
      if (page.length < PAGE) return { reapplied, after };
    }
  }

  private async follow(subscription: Subscription): Promise<void> {
    try {
      for await (const batch of subscription) {
        const reapplied = await this.vault.reapplyErasures(erasedSubjects(batch));
        if (reapplied > 0) this.logger.warn({ reapplied }, 'recorded erasures re-applied to the key table');
      }
    } catch (error) {
      // Erasures are still recorded and re-applied at the next start; nothing to halt the api for.
      this.logger.error({ err: error }, 'following erasures stopped; they are re-applied at the next start');
    }
  }
}

function erasedSubjects(events: readonly RecordedEvent[]): string[] {
  return events
    .filter((event) => event.type === ERASED)
    .map((event) => (event.data as { staffId: string }).staffId);
}

import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type pg from 'pg';
import type { Logger } from 'pino';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { AppConfig, PINO_LOGGER } from '@cadre/platform';
import { CLOCK, type Clock } from '@cadre/kernel';
import {
  CheckpointKeyError,
  DEVELOPMENT_CHECKPOINT_KEY,
  isDevelopmentCheckpointKey,
  parseCheckpointKey,
} from '../integrity/checkpoint-signing-key.js';
import { SignedCheckpoints } from '../integrity/signed-checkpoints.js';
import { ProjectionWorker, READ_MODEL_POOL } from '@cadre/subscriptions/nest';

/** Signed integrity checkpoints, with the signing key from configuration (never the database). */
export const signedCheckpointsProvider: Provider = {
  provide: SignedCheckpoints,
  useFactory: (pool: pg.Pool, store: EventStore, config: AppConfig, clock: Clock): SignedCheckpoints => {
    const value = config.CADRE_CHECKPOINT_KEY ?? DEVELOPMENT_CHECKPOINT_KEY;
    if (config.NODE_ENV === 'production' && isDevelopmentCheckpointKey(value)) {
      throw new CheckpointKeyError(
        'CADRE_CHECKPOINT_KEY is the public development key, which NODE_ENV=production refuses',
      );
    }
    return new SignedCheckpoints(pool, store, parseCheckpointKey(value), () => clock.now());
  },
  inject: [READ_MODEL_POOL, EVENT_STORE, AppConfig, CLOCK],
};

/**
 * Signs a checkpoint every CADRE_CHECKPOINT_INTERVAL_SECONDS, in the one worker that holds the
 * history projection's lease (the checkpoint records what that projection has seen).
 */
@Injectable()
export class CheckpointScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly checkpoints: SignedCheckpoints,
    private readonly worker: ProjectionWorker,
    private readonly config: AppConfig,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.CADRE_CHECKPOINT_INTERVAL_SECONDS;
    if (seconds <= 0) return;
    this.timer = setInterval(() => void this.tick(), seconds * 1000);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    const history = this.worker.runners.find((runner) => runner.projection.name === 'history');
    if (history?.status().state !== 'running') return;
    try {
      const written = await this.checkpoints.write();
      this.logger.info(
        { checkpoint: written.id, streams: written.body.streams.length },
        'signed integrity checkpoint written',
      );
    } catch (error) {
      this.logger.error({ err: error }, 'could not write the signed integrity checkpoint');
    }
  }
}

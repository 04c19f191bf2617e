import type { Provider } from '@nestjs/common';
import type pg from 'pg';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { AppConfig, CLOCK, type Clock } from '@cadre/platform';
import {
  CheckpointKeyError,
  DEVELOPMENT_CHECKPOINT_KEY,
  isDevelopmentCheckpointKey,
  parseCheckpointKey,
  SignedCheckpoints,
} from '@cadre/projections';
import { READ_MODEL_POOL } from '@cadre/projections/nest';

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

import type { Provider } from '@nestjs/common';
import type pg from 'pg';
import { PersonalDataVault, configuredKeyRing } from '@cadre/personal-data';
import { AppConfig } from '@cadre/platform';
import { PG_POOL } from './pg-pool.provider.js';

/**
 * The personal-data vault on the api's pool ({@link PG_POOL}): per-person data keys wrapped by the
 * configured KEK ring, and the blind-index key. Production refuses to start on the development KEK (the config
 * loader already refuses a missing one, and the development blind-index key).
 */
export const personalDataVaultProvider: Provider = {
  provide: PersonalDataVault,
  useFactory: (pool: pg.Pool, config: AppConfig): Promise<PersonalDataVault> => {
    return PersonalDataVault.connect(pool, configuredKeyRing(config), config.blindIndexKey);
  },
  inject: [PG_POOL, AppConfig],
};

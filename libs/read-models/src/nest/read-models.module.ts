import type { DynamicModule } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type pg from 'pg';
import { PersonalDataVault, configuredKeyRing, eventUnsealer } from '@cadre/personal-data';
import { AppConfig } from '@cadre/platform';
import {
  READ_MODEL_ENTITIES,
  READ_MODEL_MIGRATIONS,
  readModelProjections,
  type ReadModelDependencies,
} from '../index.js';
import { ProjectionsModule } from './projections.module.js';
import { READ_MODEL_POOL } from '@cadre/subscriptions/nest';

/**
 * The read models: their tables (migrations) and TypeORM entities in every process; their
 * projections applied only where `run` is set (the worker, or the api under `npm start`).
 */
export function readModelsModule({ run }: { run: boolean }): DynamicModule {
  return ProjectionsModule.forRoot({
    projections: (moduleRef) => readModelProjections({ unseal: vaultUnsealer(moduleRef) }),
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    run,
  });
}

/**
 * Unsealing for the projections, through a vault of this process on the read-model pool (so the
 * standalone worker needs no api provider), built from the configured KEK ring on first use — by
 * then the pool exists.
 */
function vaultUnsealer(moduleRef: ModuleRef): NonNullable<ReadModelDependencies['unseal']> {
  return eventUnsealer(() => {
    const config = moduleRef.get(AppConfig, { strict: false });
    const pool = moduleRef.get<pg.Pool>(READ_MODEL_POOL, { strict: false });
    return PersonalDataVault.connect(pool, configuredKeyRing(config), config.blindIndexKey);
  });
}

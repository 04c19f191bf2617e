import type { DynamicModule } from '@nestjs/common';
import { READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS, readModelProjections } from '@cadre/projections';
import { ProjectionsModule } from '@cadre/projections/nest';

/**
 * The read models: their tables (migrations) and TypeORM entities in every process; their
 * projections applied only where `run` is set (the worker, or the api under `npm start`).
 */
export function readModelsModule({ run }: { run: boolean }): DynamicModule {
  return ProjectionsModule.forRoot({
    projections: () => readModelProjections({}),
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    run,
  });
}

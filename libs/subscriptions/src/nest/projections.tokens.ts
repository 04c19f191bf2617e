/** The projections of this deployment (an array of {@link Projection}). */
export const PROJECTIONS = Symbol.for('cadre.Projections');
/** A `pg.Pool` on the read-model database, for projections and bulk reads. */
export const READ_MODEL_POOL = Symbol.for('cadre.ReadModelPool');
/** The TypeORM DataSource of the read models (entities, migrations). */
export const READ_MODELS = Symbol.for('cadre.ReadModels');
/** The process's {@link LeaseProvider}: one connection holds every lease the process takes. */
export const LEASES = Symbol.for('cadre.Leases');

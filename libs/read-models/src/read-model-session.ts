/**
 * Read-model sessions run without PostgreSQL's JIT: it compiles any plan costed above 100,000
 * (a bitemporal audit query on a large history often is) for 50–1,000 ms, more than the query
 * itself takes from its indexes.
 */
export const READ_MODEL_SESSION_OPTIONS = '-c jit=off';

// The Nest side of command handling (`@cadre/command-handling/nest`): the pure path stays
// importable without Nest from `@cadre/command-handling`.
export * from './command-handling.module.js';
export * from './command-runner.js';
export * from './reference-data.js';
export * from './pg-pool.provider.js';
export * from './personal-data-vault.provider.js';
export * from '../framework/framework.command-handler.js';
export * from '../jurisdictions/jurisdiction.command-handler.js';
export * from '../lapses/acknowledge-lapse.command-handler.js';
export * from '../programmes/programme.command-handler.js';
export * from '../records/void-record.command-handler.js';
export * from '../sessions/session.command-handler.js';
export * from '../staff/employee-ref-reservations.js';
export * from '../staff/erase-personal-data.command-handler.js';
export * from '../staff/erasure-reapplier.js';
export * from '../staff/register-staff.command-handler.js';
export * from '../staff/staff.command-handler.js';
export * from '../staff/transfer-staff.command-handler.js';
export * from '../teams/team.command-handler.js';

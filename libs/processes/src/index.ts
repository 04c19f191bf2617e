import type { Projection } from '@cadre/subscriptions';
import { awardOnCloseProcess } from './award-on-close.process.js';
import { certificationScheduleProjection } from './certification-schedule.process.js';
import { employeeRefOrphansProcess } from './employee-ref-orphans.process.js';
import { lapseProcess } from './lapse.process.js';
import type { ProcessDependencies } from './process-support.js';

/**
 * The process managers: projections of the log (each under its lease, with its checkpoint) whose
 * `apply` sends commands through `handleCommand`, caused by the event they react to. Listed apart
 * from the read models: never rebuilt into a fresh schema, never served to readers.
 */
export const processManagers = (deps: ProcessDependencies): Projection[] => [
  awardOnCloseProcess(deps),
  certificationScheduleProjection(),
  lapseProcess(deps),
  employeeRefOrphansProcess(deps),
];

export * from './process-support.js';
export * from './award-on-close.process.js';
export * from './certification-schedule.process.js';
export * from './certification-schedule.ticker.js';
export * from './lapse.process.js';
export * from './employee-ref-orphans.process.js';
export * from './standing-reconciliation.js';
export * from './rule-change-impact.js';

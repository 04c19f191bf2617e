export * from './handle-command.js';
export * from './reference-reads.js';
export * from './staff/staff-personal-data.js';

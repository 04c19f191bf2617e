import type { Provider } from '@nestjs/common';
import { DATABASE, type Database } from '@cadre/platform';
import { SharedConnectionLeases, type LeaseProvider } from '../leases.js';
import { LEASES } from './projections.tokens.js';

/**
 * The process's leases (projections, process managers, the schedule's tick, webhook delivery):
 * session advisory locks on one connection, opened at the first lease taken, so a process that
 * takes none (an api alone) opens none.
 */
export const leasesProvider: Provider = {
  provide: LEASES,
  useFactory: (database: Database): LeaseProvider => {
    const leases = new SharedConnectionLeases(database.url, 'cadre-leases');
    database.onShutdown(() => leases.close());
    return leases;
  },
  inject: [DATABASE],
};

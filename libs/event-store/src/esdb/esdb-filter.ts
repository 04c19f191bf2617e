import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter } from '@eventstore/db-client';
import type { EventFilter, RecordedEvent } from '../event-store.port.js';

type CheckpointReached = NonNullable<Filter['checkpointReached']>;

/**
 * The server-side filter for `$all`. EventStoreDB filters on one dimension per subscription, so the
 * most selective one goes to the server: the categories as stream-name prefixes (`staff-`), else
 * the store's stream prefix, else the event-type prefixes, else "no system event". The other
 * dimension is applied again by {@link matchesFilter} on the client.
 */
export function serverFilter(
  filter: EventFilter | undefined,
  streamPrefix: string,
  checkpointReached?: CheckpointReached,
): Filter {
  const categories = filter?.streamCategories ?? [];
  const types = filter?.eventTypePrefixes ?? [];
  if (categories.length > 0) {
    return streamNameFilter({
      prefixes: categories.map((category) => `${streamPrefix}${category}-`),
      checkpointReached,
    });
  }
  if (streamPrefix) return streamNameFilter({ prefixes: [streamPrefix], checkpointReached });
  if (types.length > 0) return eventTypeFilter({ prefixes: [...types], checkpointReached });
  return excludeSystemEvents({ checkpointReached });
}

/** The port's filter on a mapped event: both dimensions, each an OR of prefixes. */
export function matchesFilter(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  const types = filter?.eventTypePrefixes;
  if (types?.length && !types.some((prefix) => event.type.startsWith(prefix))) return false;
  const categories = filter?.streamCategories;
  return !categories?.length || categories.some((category) => event.stream.startsWith(`${category}-`));
}

import type { FrameworkDefinition } from '../shared/requirements.js';
import type { FrameworkState } from './framework.decider.js';

/** A published version, with when it was published. */
export type PublishedFramework = FrameworkDefinition & { readonly publishedAt: string | null };

/**
 * The regional baseline: of the framework versions given, the latest published one that is not
 * retired, by the business time of its publication (then by version label, as the matrix
 * conformance read model orders them); undefined when none is published. What a programme may
 * grant is checked against it.
 */
export function latestPublishedFramework(
  versions: readonly FrameworkState[],
): PublishedFramework | undefined {
  let latest: PublishedFramework | undefined;
  for (const version of versions) {
    if (version.status !== 'published') continue;
    if (!latest || compare(version, latest) > 0) latest = version;
  }
  return latest;
}

function compare(a: PublishedFramework, b: PublishedFramework): number {
  const at = instant(a.publishedAt) - instant(b.publishedAt);
  if (at !== 0) return at;
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/** Unknown publication times (events folded without their envelope) sort first. */
const instant = (at: string | null): number => (at === null ? -Infinity : Date.parse(at));

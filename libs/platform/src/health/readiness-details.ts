/** A part of the process that has stopped working without making it unready (a failed projection). */
export interface Degradation {
  /** What failed (a projection's name). */
  readonly name: string;
  /** Where it stands in the log (the last position it applied; null before its first). */
  readonly position: string | null;
  readonly error: string | null;
}

/**
 * Extra details for `/health/ready` that never make the process unready (the lag of projections
 * and process managers: a long catch-up must not take the api offline). Each part of the process
 * that has some adds them under a name; `/health/ready` reports each with status "up". A part may
 * also say what of it is failing (`failing`): `/health/ready` then answers `status: "degraded"`,
 * naming it, still with 200 (the api can serve; what it answers may be stale).
 */
export class ReadinessDetails {
  private readonly sources = new Map<string, () => unknown>();
  private readonly failures = new Map<string, () => readonly Degradation[]>();

  /** `source` returns a JSON-serialisable object (or a promise of one). A name added again replaces it. */
  add(name: string, source: () => unknown, failing?: () => readonly Degradation[]): void {
    this.sources.set(name, source);
    if (failing) this.failures.set(name, failing);
    else this.failures.delete(name);
  }

  async details(): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
      [...this.sources].map(async ([name, source]) => [name, await source()] as const),
    );
    return Object.fromEntries(entries);
  }

  /** What is failing now, under the name of its part (`{ projections: [{ name, position, error }] }`); {} when nothing. */
  degraded(): Record<string, readonly Degradation[]> {
    return Object.fromEntries(
      [...this.failures].map(([name, failing]) => [name, failing()] as const).filter(([, f]) => f.length > 0),
    );
  }
}

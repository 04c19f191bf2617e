/**
 * Extra details for `/health/ready` that never make the process unready (the lag of projections
 * and process managers: a long catch-up must not take the api offline). Each part of the process
 * that has some adds them under a name; `/health/ready` reports each with status "up".
 */
export class ReadinessDetails {
  private readonly sources = new Map<string, () => unknown>();

  /** `source` returns a JSON-serialisable object (or a promise of one). A name added again replaces it. */
  add(name: string, source: () => unknown): void {
    this.sources.set(name, source);
  }

  async details(): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
      [...this.sources].map(async ([name, source]) => [name, await source()] as const),
    );
    return Object.fromEntries(entries);
  }
}

import { CadreError } from '@cadre/kernel';
import type { EventMetadata, RecordedEvent } from '../event-store.port.js';

/**
 * One step of an event type's evolution: an event of `type` stored at `fromVersion` turned into
 * the form of `fromVersion + 1`. Pure and total: it sees the event's data and metadata only (no
 * other event, no state), so that any reader upcasts any event alone, in any order.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(event: { readonly data: unknown; readonly metadata: EventMetadata }): {
    readonly data: unknown;
    /** Rarely: metadata members that change with the version (`schemaVersion` is set by the chain). */
    readonly metadata?: Partial<EventMetadata>;
  };
}

/** What the domain declares: each evolved type's current version, and the steps that lead to it. */
export interface EventEvolution {
  /** Types absent here are at version 1 and have no upcaster. */
  readonly currentVersions: Readonly<Record<string, number>>;
  readonly upcasters: readonly Upcaster[];
}

/** A recorded event in the form the readers know; applied by the adapters on every read. */
export type Upcast = (event: RecordedEvent) => RecordedEvent;

/** The chain is not one a reader could follow: refused when the process starts. */
export class UpcasterChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpcasterChainError';
  }
}

/**
 * An event stored at a version newer than this process knows (a rolling deployment: an older
 * replica reading what a newer one wrote). Refused rather than passed on: code that does not know
 * the shape must not fold it. Retried, the request reaches an up-to-date replica (HTTP 503).
 */
export class UnknownSchemaVersionError extends CadreError {
  readonly category = 'unavailable' as const;
  constructor(type: string, eventId: string, stored: number, known: number) {
    super(
      'EVENT_STORE.SCHEMA_VERSION_UNKNOWN',
      `Event ${eventId} is a ${type} of schema version ${stored}; this process knows versions up to ${known}. It is older than the log: deploy the current version.`,
      { type, eventId, schemaVersion: stored, knownSchemaVersion: known },
    );
  }
}

/**
 * The upcaster chain, keyed by event type and schema version (decision 0014). Reading an event
 * stored at version v of a type now at version n applies the steps v → v+1 → … → n; the result
 * says `schemaVersion: n`. An event whose type has no evolution passes unchanged (the same
 * object: the common case costs one map lookup). The log itself is never rewritten: the hash
 * chain covers the stored form, which `readStream(…, { stored: true })` returns.
 */
export class UpcasterChain {
  private readonly current = new Map<string, number>();
  /** Per type, the step from version v at index v - 1. */
  private readonly steps = new Map<string, Upcaster[]>();

  constructor(evolution: EventEvolution) {
    for (const [type, version] of Object.entries(evolution.currentVersions)) {
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new UpcasterChainError(
          `${type}: the current schema version must be an integer ≥ 1, not ${version}.`,
        );
      }
      this.current.set(type, version);
      this.steps.set(type, []);
    }
    for (const upcaster of evolution.upcasters) {
      const { type, fromVersion } = upcaster;
      const current = this.current.get(type);
      if (current === undefined) {
        throw new UpcasterChainError(`${type} has an upcaster but no current schema version.`);
      }
      if (!Number.isSafeInteger(fromVersion) || fromVersion < 1 || fromVersion >= current) {
        throw new UpcasterChainError(
          `${type}: an upcaster from version ${fromVersion} does not lead towards the current version ${current}.`,
        );
      }
      const steps = this.steps.get(type)!;
      if (steps[fromVersion - 1]) {
        throw new UpcasterChainError(`${type}: two upcasters from version ${fromVersion}.`);
      }
      steps[fromVersion - 1] = upcaster;
    }
    for (const [type, current] of this.current) {
      const steps = this.steps.get(type)!;
      for (let version = 1; version < current; version += 1) {
        if (!steps[version - 1]) {
          throw new UpcasterChainError(
            `${type}: no upcaster from version ${version} to ${version + 1}, so a version ${version} event cannot reach the current version ${current}.`,
          );
        }
      }
    }
  }

  /** The version a writer stamps on a new event of `type`. */
  currentVersion(type: string): number {
    return this.current.get(type) ?? 1;
  }

  /** An arrow, so that it can be handed to an adapter as its `upcast` option. */
  readonly upcast: Upcast = (event) => {
    const current = this.current.get(event.type);
    if (current === undefined) return event;
    // An event stored without a version predates versioning: version 1.
    let version = event.metadata.schemaVersion ?? 1;
    if (version === current) return event;
    if (version > current) {
      throw new UnknownSchemaVersionError(event.type, event.eventId, version, current);
    }
    const steps = this.steps.get(event.type)!;
    let { data, metadata } = event;
    for (; version < current; version += 1) {
      const next = steps[version - 1].upcast({ data, metadata });
      data = next.data;
      metadata = { ...metadata, ...next.metadata, schemaVersion: version + 1 };
    }
    return { ...event, data, metadata };
  };
}

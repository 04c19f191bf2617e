import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store.port.js';
import {
  UnknownSchemaVersionError,
  UpcasterChain,
  UpcasterChainError,
  type Upcaster,
} from './upcaster-chain.js';

describe('UpcasterChain', () => {
  it('applies the steps in version order, whatever order they are declared in, and says the version reached', () => {
    const chain = new UpcasterChain({ currentVersions: { Moved: 3 }, upcasters: [toV3, toV2] });

    const read = chain.upcast(stored('Moved', 1, { to: 'north' }));

    expect(read.data).toEqual({ to: 'north', from: null, steps: ['1→2', '2→3'] });
    expect(read.metadata.schemaVersion).toBe(3);
    expect(read.hash).toBe('stored-hash');
  });

  it('starts from the stored version: a version 2 event takes the last step only', () => {
    const chain = new UpcasterChain({ currentVersions: { Moved: 3 }, upcasters: [toV2, toV3] });

    const read = chain.upcast(stored('Moved', 2, { to: 'north', from: 'south', steps: [] }));

    expect(read.data).toEqual({ to: 'north', from: 'south', steps: ['2→3'] });
  });

  it('merges the metadata a step changes, never its schema version', () => {
    const renamed: Upcaster = {
      type: 'Moved',
      fromVersion: 1,
      upcast: ({ data }) => ({ data, metadata: { reason: 'moved by the old process', schemaVersion: 9 } }),
    };
    const chain = new UpcasterChain({ currentVersions: { Moved: 2 }, upcasters: [renamed] });

    const read = chain.upcast(stored('Moved', 1, {}));

    expect(read.metadata).toMatchObject({
      reason: 'moved by the old process',
      schemaVersion: 2,
      correlationId: 'c',
    });
  });

  it('passes an event of a type with no upcaster, or already current, unchanged (the same object)', () => {
    const chain = new UpcasterChain({ currentVersions: { Moved: 2 }, upcasters: [toV2] });
    const other = stored('Stayed', 1, { here: true });
    const current = stored('Moved', 2, { to: 'north', from: null, steps: [] });

    expect(chain.upcast(other)).toBe(other);
    expect(chain.upcast(current)).toBe(current);
  });

  it('reads an event stored without a schema version as version 1', () => {
    const chain = new UpcasterChain({ currentVersions: { Moved: 2 }, upcasters: [toV2] });
    const old = stored('Moved', 1, { to: 'north' });
    const unversioned = {
      ...old,
      metadata: { ...old.metadata, schemaVersion: undefined as unknown as number },
    };

    expect(chain.upcast(unversioned).data).toEqual({ to: 'north', from: null, steps: ['1→2'] });
  });

  it('refuses an event stored at a version newer than it knows', () => {
    const chain = new UpcasterChain({ currentVersions: { Moved: 2 }, upcasters: [toV2] });

    expect(() => chain.upcast(stored('Moved', 3, {}))).toThrow(UnknownSchemaVersionError);
  });

  it('tells writers the current version of each type (1 for a type that never evolved)', () => {
    const chain = new UpcasterChain({ currentVersions: { Moved: 2 }, upcasters: [toV2] });

    expect(chain.currentVersion('Moved')).toBe(2);
    expect(chain.currentVersion('Stayed')).toBe(1);
  });

  describe('is refused at construction', () => {
    it('with a gap: no step from version 1 to a current version 3', () => {
      expect(() => new UpcasterChain({ currentVersions: { Moved: 3 }, upcasters: [toV3] })).toThrow(
        /no upcaster from version 1 to 2/,
      );
    });

    it('with two steps from the same version', () => {
      expect(() => new UpcasterChain({ currentVersions: { Moved: 2 }, upcasters: [toV2, toV2] })).toThrow(
        UpcasterChainError,
      );
    });

    it('with a step beyond the current version, or for a type without one', () => {
      expect(() => new UpcasterChain({ currentVersions: { Moved: 2 }, upcasters: [toV2, toV3] })).toThrow(
        /does not lead towards the current version 2/,
      );
      expect(() => new UpcasterChain({ currentVersions: {}, upcasters: [toV2] })).toThrow(
        /no current schema version/,
      );
    });

    it('with a current version that is not an integer ≥ 1', () => {
      expect(() => new UpcasterChain({ currentVersions: { Moved: 0 }, upcasters: [] })).toThrow(
        UpcasterChainError,
      );
      expect(() => new UpcasterChain({ currentVersions: { Moved: 1.5 }, upcasters: [] })).toThrow(
        UpcasterChainError,
      );
    });
  });

  const toV2: Upcaster = {
    type: 'Moved',
    fromVersion: 1,
    upcast: ({ data }) => ({ data: { ...(data as object), from: null, steps: ['1→2'] } }),
  };
  const toV3: Upcaster = {
    type: 'Moved',
    fromVersion: 2,
    upcast: ({ data }) => {
      const d = data as { steps: string[] };
      return { data: { ...d, steps: [...d.steps, '2→3'] } };
    },
  };

  function stored(type: string, schemaVersion: number, data: unknown): RecordedEvent {
    return {
      eventId: '00000000-0000-4000-8000-000000000001',
      type,
      data,
      metadata: {
        correlationId: 'c',
        causationId: null,
        actor: null,
        occurredAt: '2026-01-01T00:00:00.000Z',
        schemaVersion,
      },
      stream: 'thing-1',
      revision: 0,
      position: '1-1',
      recordedAt: '2026-01-01T00:00:00.000Z',
      hash: 'stored-hash',
    };
  }
});

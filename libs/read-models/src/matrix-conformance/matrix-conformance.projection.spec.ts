import { describe, expect, it } from '@jest/globals';
import type { Fact } from '../bitemporal/history-spec.js';
import { adoptionTimeline, publicationTimeline } from './matrix-conformance.timelines.js';

describe('matrix conformance timelines', () => {
  it('adoptions: each version from its effectiveFrom until the next; the last recorded wins a tie', () => {
    expect(
      adoptionTimeline([
        fact('FrameworkAdopted', { version: 'v2', effectiveFrom: MAR }),
        fact('FrameworkAdopted', { version: 'v1', effectiveFrom: JAN }),
        fact('FrameworkAdopted', { version: 'v1b', effectiveFrom: JAN }),
      ]),
    ).toEqual([
      { validFrom: JAN, validTo: MAR, values: ['v1b'] },
      { validFrom: MAR, validTo: null, values: ['v2'] },
    ]);
  });

  it('publication: from publishing until retirement', () => {
    expect(publicationTimeline([fact('FrameworkVersionPublished', { version: 'v1' }, JAN)])).toEqual([
      { validFrom: JAN, validTo: null, values: ['v1'] },
    ]);
    expect(
      publicationTimeline([
        fact('FrameworkVersionPublished', { version: 'v1' }, JAN),
        fact('FrameworkVersionRetired', { version: 'v1' }, MAR),
      ]),
    ).toEqual([{ validFrom: JAN, validTo: MAR, values: ['v1'] }]);
    expect(publicationTimeline([])).toEqual([]);
  });

  const JAN = '2025-01-01T00:00:00.000Z';
  const MAR = '2025-03-01T00:00:00.000Z';
  function fact(type: string, data: Record<string, unknown>, occurredAt = JAN): Fact {
    return { eventId: `${type}-${JSON.stringify(data)}`, type, occurredAt, recordedAt: occurredAt, data };
  }
});

import { describe, expect, it } from '@jest/globals';
import type { PersonHistory, TeamRules } from '@cadre/domain';
import { decodeCursor } from '../queries/cursor.js';
import { compareKeys, eligibleStaffPage, type EligibleStaffRequest } from './eligible-staff.page.js';
import type { Candidate } from './eligibility.query.js';

describe('eligibleStaffPage', () => {
  it('pages through everyone once, eligible first, then by name and staffId, in any page size', () => {
    const all = page({ limit: 500 }).items;
    expect(all).toHaveLength(CANDIDATES.length);
    const keys = all.map((item) => [item.eligible ? 0 : 1, item.name, item.staffId] as const);
    expect([...keys].sort(compareKeys)).toEqual(keys);
    expect(all.filter((item) => item.currentMember).every((item) => !item.eligible)).toBe(true);
    expect(all.find((item) => item.agency === 'probation')).toMatchObject({
      eligible: false,
      barrier: { kind: 'agency-not-admitted' },
    });
    for (const limit of [1, 3, 7, 50]) {
      const seen = [];
      let cursor: string | null = null;
      do {
        const after = cursor === null ? undefined : decodeCursor(cursor, 3);
        const next = page({ limit, after });
        seen.push(...next.items);
        cursor = next.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual(all);
    }
  });

  it('eligible=true keeps only those an assignment would accept now', () => {
    const only = page({ limit: 500, onlyEligible: true }).items;
    expect(only.length).toBeGreaterThan(0);
    expect(only).toEqual(page({ limit: 500 }).items.filter((item) => item.eligible));
  });

  const AT = '2026-06-01T00:00:00.000Z';
  const RULES: TeamRules = {
    jurisdiction: {
      code: 'AL',
      adoptions: [{ version: 'v1', effectiveFrom: '2020-01-01T00:00:00.000Z' }],
      additions: [],
    },
    frameworks: {
      v1: {
        version: 'v1',
        roles: { psychologist: { title: 'Psychologist' } },
        competencies: {},
        requirements: [{ role: 'psychologist', competency: 'vep', minLevel: 'specialised' }],
      },
    },
  };
  const NAMES = ['Ana Hoxha', 'ana hoxha', 'Đorđe Petrović', 'Besnik Krasniqi', 'erased', 'Zana Berisha'];
  const CANDIDATES: Candidate[] = Array.from({ length: 40 }, (_, i) => {
    const staffId = `s-${String((i * 17) % 40).padStart(2, '0')}`;
    const agency = i % 9 === 0 ? 'probation' : 'prison';
    const history: PersonHistory = {
      staffId,
      placements: [
        { from: '2021-01-01T00:00:00.000Z', agency, jurisdiction: 'AL', institution: 'P1', status: 'active' },
      ],
      certificationHistory:
        i % 3 === 0
          ? []
          : [
              {
                certificationId: `c-${i}`,
                competency: 'vep',
                level: i % 2 ? 'expert' : 'specialised',
                voided: false,
                periods: [
                  {
                    validFrom: '2025-01-01T00:00:00.000Z',
                    validUntil: '2027-01-01T00:00:00.000Z',
                    voided: false,
                  },
                ],
                statusChanges: i % 5 === 0 ? [{ at: '2026-01-01T00:00:00.000Z', status: 'revoked' }] : [],
              },
            ],
    };
    return {
      staffId,
      name: NAMES[i % NAMES.length]!,
      institution: 'P1',
      agency,
      role: 'psychologist',
      history,
    };
  });

  function page(options: Partial<EligibleStaffRequest>) {
    return eligibleStaffPage({
      question: { team: { kind: 'prison', jurisdiction: 'AL' }, teamRole: 'psychologist', rules: RULES },
      at: AT,
      candidates: CANDIDATES,
      members: new Set(['s-01', 's-02']),
      onlyEligible: false,
      after: undefined,
      limit: 50,
      ...options,
    });
  }
});

import { describe, expect, it } from '@jest/globals';
import { meetsLevel } from './levels.js';
import { evaluateQualification, type CertificationView } from './qualification.js';
import { addMonths, resolveOccurredAt } from './time.js';
import { computeValidity } from './validity.js';

describe('levels', () => {
  it('orders awareness < specialised < expert < trainer', () => {
    expect(meetsLevel('trainer', 'awareness')).toBe(true);
    expect(meetsLevel('expert', 'specialised')).toBe(true);
    expect(meetsLevel('specialised', 'expert')).toBe(false);
  });
});

describe('validity', () => {
  it('adds calendar months, clamped to the end of a shorter month', () => {
    expect(addMonths('2025-01-31T10:00:00.000Z', 1)).toBe('2025-02-28T10:00:00.000Z');
    expect(addMonths('2024-02-29T00:00:00.000Z', 12)).toBe('2025-02-28T00:00:00.000Z');
  });

  it('opens the recertification window the given days before validUntil', () => {
    expect(
      computeValidity('2025-01-15T00:00:00.000Z', { validityMonths: 24, recertificationWindowDays: 60 }),
    ).toEqual({
      validFrom: '2025-01-15T00:00:00.000Z',
      validUntil: '2027-01-15T00:00:00.000Z',
      windowOpensAt: '2026-11-16T00:00:00.000Z',
    });
  });
});

describe('back-dating', () => {
  const now = '2025-03-10T09:00:00.000Z';
  it('accepts up to 24 h without a reason, beyond only with one', () => {
    expect(resolveOccurredAt({ occurredAt: '2025-03-09T09:00:00.000Z' }, now)).toEqual({
      occurredAt: '2025-03-09T09:00:00.000Z',
    });
    expect(() => resolveOccurredAt({ occurredAt: '2025-03-09T08:59:59.000Z' }, now)).toThrow(
      expect.objectContaining({ code: 'COMMAND.BACKDATED_WITHOUT_REASON' }),
    );
    expect(
      resolveOccurredAt({ occurredAt: '2025-03-01T00:00:00.000Z', reason: 'late paperwork' }, now),
    ).toEqual({
      occurredAt: '2025-03-01T00:00:00.000Z',
      reason: 'late paperwork',
    });
    expect(resolveOccurredAt(undefined, now)).toEqual({ occurredAt: now });
  });
});

describe('evaluateQualification', () => {
  const cert = (
    level: CertificationView['level'],
    changes: Partial<CertificationView> = {},
  ): CertificationView => ({
    certificationId: `c-${level}`,
    competency: 'dynamic-security',
    level,
    validFrom: '2025-01-01T00:00:00.000Z',
    validUntil: '2026-01-01T00:00:00.000Z',
    status: 'active',
    ...changes,
  });
  const requirement = {
    role: 'security-officer',
    competency: 'dynamic-security',
    minLevel: 'specialised' as const,
  };
  const at = '2025-06-01T00:00:00.000Z';

  it('is met by a valid certification at or above the level', () => {
    const result = evaluateQualification([requirement], [cert('awareness'), cert('expert')], at);
    expect(result.qualified).toBe(true);
    expect(result.results[0]).toMatchObject({ met: true, metBy: { certificationId: 'c-expert' } });
  });

  it('is not met by a lower level, a suspended one, or one expired by the clock', () => {
    for (const held of [
      cert('awareness'),
      cert('expert', { status: 'suspended' }),
      cert('expert', { validUntil: at }),
    ]) {
      expect(evaluateQualification([requirement], [held], at).qualified).toBe(false);
    }
  });

  it('names what is held for each unmet requirement', () => {
    const { violations } = evaluateQualification(
      [requirement],
      [cert('expert', { validUntil: '2025-05-01T00:00:00.000Z' })],
      at,
    );
    expect(violations).toEqual([
      {
        role: 'security-officer',
        competency: 'dynamic-security',
        requiredLevel: 'specialised',
        held: {
          certificationId: 'c-expert',
          level: 'expert',
          validUntil: '2025-05-01T00:00:00.000Z',
          standing: 'expired',
        },
      },
    ]);
    expect(evaluateQualification([requirement], [], at).violations[0]?.held).toBeNull();
  });
});

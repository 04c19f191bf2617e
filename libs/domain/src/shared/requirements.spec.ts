import { describe, expect, it } from '@jest/globals';
import { sampleFramework } from '../testing/fixtures.js';
import { requirementsInForce, type JurisdictionRules, type FrameworkDefinition } from './requirements.js';

describe('requirementsInForce', () => {
  const framework: FrameworkDefinition = sampleFramework();
  const al: JurisdictionRules = {
    code: 'AL',
    adoptions: [{ version: 'v1', effectiveFrom: '2025-01-01T00:00:00.000Z' }],
    additions: [
      {
        role: 'psychologist',
        competency: 'dynamic-security',
        minLevel: 'awareness',
        effectiveFrom: '2025-06-01T00:00:00.000Z',
      },
      {
        role: 'all-staff',
        competency: 'radicalisation-awareness',
        minLevel: 'specialised',
        effectiveFrom: '2025-09-01T00:00:00.000Z',
      },
    ],
  };

  it("applies the role's and all-staff requirements of the adopted version", () => {
    const inForce = requirementsInForce(framework, al, 'psychologist', '2025-03-01T00:00:00.000Z');
    expect(inForce.requirementsVersion).toBe('v1+AL.0');
    expect(inForce.requirements).toEqual([
      {
        role: 'all-staff',
        competency: 'radicalisation-awareness',
        minLevel: 'awareness',
        source: 'framework',
      },
      {
        role: 'psychologist',
        competency: 'vep-risk-assessment',
        minLevel: 'specialised',
        source: 'framework',
      },
    ]);
  });

  it('adds jurisdiction additions as of their date, the stricter level standing', () => {
    const inForce = requirementsInForce(framework, al, 'psychologist', '2025-10-01T00:00:00.000Z');
    expect(inForce.requirementsVersion).toBe('v1+AL.2');
    expect(inForce.requirements).toEqual([
      {
        role: 'all-staff',
        competency: 'radicalisation-awareness',
        minLevel: 'specialised',
        source: 'jurisdiction',
      },
      {
        role: 'psychologist',
        competency: 'vep-risk-assessment',
        minLevel: 'specialised',
        source: 'framework',
      },
      { role: 'psychologist', competency: 'dynamic-security', minLevel: 'awareness', source: 'jurisdiction' },
    ]);
  });

  it('refuses a date before any adoption', () => {
    expect(() => requirementsInForce(framework, al, 'manager', '2024-12-31T00:00:00.000Z')).toThrow(
      expect.objectContaining({ code: 'JURISDICTION.NO_FRAMEWORK_ADOPTED' }),
    );
  });
});

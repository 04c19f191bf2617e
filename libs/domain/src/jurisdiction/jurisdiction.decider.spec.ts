import { describe, it } from '@jest/globals';
import { deciderSpec, recorded, testContext } from '../testing/decider-spec.js';
import { coordinatorOf, sampleFramework, sampleFrameworkEvents } from '../testing/fixtures.js';
import { fold } from '../shared/decider.js';
import { frameworkDecider } from '../framework/framework.decider.js';
import type { JurisdictionCommand } from './jurisdiction.commands.js';
import { jurisdictionDecider, type JurisdictionContext } from './jurisdiction.decider.js';
import type { JurisdictionEvent } from './jurisdiction.events.js';

describe('jurisdiction decider', () => {
  const spec = deciderSpec(jurisdictionDecider, (): JurisdictionContext => ({
    ...testContext({ actor: coordinatorOf('AL') }),
    framework: sampleFramework(),
  }));

  it('adopts a published framework version from a date', () => {
    spec
      .given([])
      .when(adopt('v1', '2025-01-01'))
      .then([adopted('v1', '2025-01-01')]);
  });

  it('refuses to adopt a draft version', () => {
    const draft = fold(frameworkDecider, sampleFrameworkEvents().slice(0, -1));
    spec.given([]).when(adopt('v1', '2025-01-01'), { framework: draft }).then('FRAMEWORK.NOT_PUBLISHED');
  });

  it('treats a repeated adoption as done, and refuses one taking effect before the latest', () => {
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(adopt('v1', '2025-01-01'))
      .then([]);
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(adopt('v2', '2024-06-01'), { framework: sampleFramework('v2') })
      .then('JURISDICTION.ADOPTION_OUT_OF_ORDER');
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(adopt('v2', '2026-01-01'), { framework: sampleFramework('v2'), inForce: sampleFramework('v1') })
      .then([adopted('v2', '2026-01-01')]);
  });

  it('needs a reason to adopt a version published before the one in force, and keeps it on the event', () => {
    const older = { framework: published('v1', '2024-01-01'), inForce: published('v2', '2024-06-01') };
    spec
      .given([adopted('v2', '2025-01-01')])
      .when(adopt('v1', '2025-06-01'), older)
      .thenThrows('JURISDICTION.OLDER_VERSION_WITHOUT_REASON', {
        jurisdiction: 'AL',
        version: 'v1',
        inForce: 'v2',
      });
    spec
      .given([adopted('v2', '2025-01-01')])
      .when(adopt('v1', '2025-06-01', 'v2 dropped nothing we need; v1 matches our curriculum'), older)
      .then([
        {
          ...adopted('v1', '2025-06-01'),
          metadata: {
            occurredAt: NOW_INSTANT,
            reason: 'v2 dropped nothing we need; v1 matches our curriculum',
          },
        },
      ]);
  });

  it('adopts a version published after the one in force, or the same one again, without a reason', () => {
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(adopt('v2', '2025-06-01'), {
        framework: published('v2', '2024-06-01'),
        inForce: published('v1', '2024-01-01'),
      })
      .then([adopted('v2', '2025-06-01')]);
    spec
      .given([adopted('v1', '2025-01-01'), adopted('v2', '2025-02-01')])
      .when(adopt('v2', '2025-06-01'), { framework: published('v2', '2024-06-01') })
      .then([adopted('v2', '2025-06-01')]);
  });

  it('lets only actors of that jurisdiction act', () => {
    spec
      .given([])
      .when(adopt('v1', '2025-01-01'), { actor: coordinatorOf('RS') })
      .then('ACTOR.OUTSIDE_JURISDICTION');
  });

  it('adds a requirement on top of the regional baseline', () => {
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('manager', 'dynamic-security', 'awareness'))
      .then([added('manager', 'dynamic-security', 'awareness', NOW_INSTANT)]);
  });

  it('may raise a baseline requirement but never lower or repeat one', () => {
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('all-staff', 'radicalisation-awareness', 'specialised'))
      .then([added('all-staff', 'radicalisation-awareness', 'specialised', NOW_INSTANT)]);
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('psychologist', 'vep-risk-assessment', 'awareness'))
      .then('JURISDICTION.REQUIREMENT_NOT_STRICTER');
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('manager', 'radicalisation-awareness', 'awareness'))
      .then('JURISDICTION.REQUIREMENT_NOT_STRICTER');
  });

  it('refuses an addition before any adoption, or naming what the framework lacks', () => {
    spec
      .given([])
      .when(add('manager', 'dynamic-security', 'awareness'))
      .then('JURISDICTION.NO_FRAMEWORK_ADOPTED');
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('chef', 'dynamic-security', 'awareness'))
      .then('FRAMEWORK.UNKNOWN_ROLE');
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('manager', 'cooking', 'awareness'))
      .then('FRAMEWORK.UNKNOWN_COMPETENCY');
  });

  it('needs a reason for a requirement taking effect more than 24 h in the past, and keeps it', () => {
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('manager', 'dynamic-security', 'awareness', '2025-02-01T00:00:00.000Z'))
      .thenThrows('JURISDICTION.BACKDATED_REQUIREMENT_WITHOUT_REASON', {
        effectiveFrom: '2025-02-01T00:00:00.000Z',
      });
    const reason = 'Ministerial order 12/2025 applies from February';
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('manager', 'dynamic-security', 'awareness', '2025-02-01T00:00:00.000Z', reason))
      .then([
        {
          ...added('manager', 'dynamic-security', 'awareness', '2025-02-01T00:00:00.000Z'),
          metadata: { occurredAt: NOW_INSTANT, reason },
        },
      ]);
    spec
      .given([adopted('v1', '2025-01-01')])
      .when(add('manager', 'dynamic-security', 'awareness', '2025-03-09T10:00:00.000Z'))
      .then([added('manager', 'dynamic-security', 'awareness', '2025-03-09T10:00:00.000Z')]);
  });

  it('records once that a rule recorded ahead of its effectiveFrom took effect, dated effectiveFrom', () => {
    const rules = [
      recorded(adopted('v1', '2025-01-01'), ADOPTION_ID),
      recorded(added('manager', 'dynamic-security', 'awareness', '2025-03-10T08:00:00.000Z'), ADDITION_ID),
    ];
    const notice = tookEffect(ADDITION_ID, 'requirement', '2025-03-10T08:00:00.000Z');
    spec
      .given(rules)
      .when(takeEffect(ADDITION_ID), { actor: SYSTEM })
      .then([{ ...notice, metadata: { occurredAt: '2025-03-10T08:00:00.000Z' } }]);
    spec
      .given([...rules, notice])
      .when(takeEffect(ADDITION_ID), { actor: SYSTEM })
      .then([]);
    // Noticed late (the worker was off): still dated effectiveFrom, with the reason why.
    spec
      .given(rules)
      .when(takeEffect(ADOPTION_ID), { actor: SYSTEM })
      .then([
        {
          ...tookEffect(ADOPTION_ID, 'adoption', instant('2025-01-01')),
          metadata: {
            occurredAt: instant('2025-01-01'),
            reason: 'Recorded by the certification schedule after the rule took effect.',
          },
        },
      ]);
  });

  it('records a rule taking effect only for the system, only once in force, only for a rule of the stream', () => {
    const rules = [
      recorded(added('manager', 'dynamic-security', 'awareness', '2025-04-01T00:00:00.000Z'), ADDITION_ID),
    ];
    spec.given(rules).when(takeEffect(ADDITION_ID)).then('JURISDICTION.SYSTEM_ONLY');
    spec
      .given(rules)
      .when(takeEffect(ADDITION_ID), { actor: SYSTEM })
      .then('JURISDICTION.RULE_NOT_IN_EFFECT');
    spec
      .given(rules)
      .when(takeEffect(ADDITION_ID), { actor: SYSTEM, now: '2025-04-01T00:00:00.000Z' })
      .then([tookEffect(ADDITION_ID, 'requirement', '2025-04-01T00:00:00.000Z')]);
    spec.given(rules).when(takeEffect(ADOPTION_ID), { actor: SYSTEM }).then('JURISDICTION.RULE_NOT_FOUND');
  });

  const NOW_INSTANT = '2025-03-10T09:00:00.000Z';
  const published = (version: string, date: string) => ({
    ...sampleFramework(version),
    publishedAt: instant(date),
  });
  const instant = (date: string) => `${date}T00:00:00.000Z`;
  const adopt = (version: string, effectiveFrom: string, reason?: string): JurisdictionCommand => ({
    type: 'AdoptFramework',
    data: { jurisdiction: 'AL', version, effectiveFrom },
    ...(reason ? { metadata: { reason } } : {}),
  });
  const adopted = (version: string, effectiveFrom: string): JurisdictionEvent => ({
    type: 'FrameworkAdopted',
    data: { jurisdiction: 'AL', version, effectiveFrom: instant(effectiveFrom) },
  });
  type L = 'awareness' | 'specialised';
  const add = (
    role: string,
    competency: string,
    minLevel: L,
    effectiveFrom?: string,
    reason?: string,
  ): JurisdictionCommand => ({
    type: 'AddJurisdictionRequirement',
    data: { jurisdiction: 'AL', role, competency, minLevel, ...(effectiveFrom ? { effectiveFrom } : {}) },
    ...(reason ? { metadata: { reason } } : {}),
  });
  const added = (
    role: string,
    competency: string,
    minLevel: L,
    effectiveFrom: string,
  ): JurisdictionEvent => ({
    type: 'JurisdictionRequirementAdded',
    data: { jurisdiction: 'AL', role, competency, minLevel, effectiveFrom },
  });
  const SYSTEM = { sub: 'process:process-certification-schedule', roles: ['system'], jurisdictions: ['*'] };
  const ADOPTION_ID = '00000000-0000-4000-8000-00000000000a';
  const ADDITION_ID = '00000000-0000-4000-8000-00000000000b';
  const takeEffect = (ruleEventId: string): JurisdictionCommand => ({
    type: 'RecordRuleTakingEffect',
    data: { jurisdiction: 'AL', ruleEventId },
  });
  const tookEffect = (
    ruleEventId: string,
    kind: 'adoption' | 'requirement',
    effectiveFrom: string,
  ): JurisdictionEvent => ({
    type: 'JurisdictionRuleTookEffect',
    data: { jurisdiction: 'AL', ruleEventId, kind, effectiveFrom },
  });
});

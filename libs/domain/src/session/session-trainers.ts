import { evaluateQualification, type CertificationView } from '../shared/qualification.js';
import type { Instant } from '../shared/time.js';
import type { GrantedCompetency } from '../programme/programme.events.js';
import type { TrainerGap } from './session.errors.js';

/**
 * Every trainer holds a valid `trainer`-level certification of each competency the session
 * teaches, from its start to its end: a certification expiring mid-session does not count.
 */
export function trainerGaps(
  trainers: readonly string[],
  competencies: readonly GrantedCompetency[],
  certificationsOf: Readonly<Record<string, readonly CertificationView[]>>,
  startsAt: Instant,
  endsAt: Instant,
): TrainerGap[] {
  const requirements = competencies.map(({ competency }) => ({
    role: 'trainer',
    competency,
    minLevel: 'trainer' as const,
  }));
  return trainers.flatMap((trainerId) => {
    const certifications = certificationsOf[trainerId] ?? [];
    const atStart = evaluateQualification(requirements, certifications, startsAt).violations;
    const atEnd = evaluateQualification(requirements, certifications, endsAt).violations;
    const unmet = new Map([...atEnd, ...atStart].map((violation) => [violation.competency, violation]));
    return [...unmet.values()].map(({ competency, held }) => ({ trainerId, competency, held }));
  });
}

import { certificationsAt, changeInstants, type PersonHistory } from '../shared/person-history.js';
import { evaluateQualification } from '../shared/qualification.js';
import { toInstant, toMillis, type Instant } from '../shared/time.js';
import { requireText } from '../shared/validation.js';
import type { GrantedCompetency } from '../programme/programme.events.js';
import type { ReplaceSessionTrainer } from './session.commands.js';
import { sessionErrors, type TrainerGap } from './session.errors.js';
import type { SessionRecord } from './session.state.js';

/**
 * What the trainer check reads of a trainer: their whole history (every certification period
 * with its status over time, and their departure), as the qualification rule reads a member's.
 */
export type TrainerRecord = PersonHistory;

/** The trainers' histories by staff id; an id never registered has no entry. */
export type TrainerRecords = Readonly<Record<string, TrainerRecord | undefined>>;

const DAY_MS = 86_400_000;

/**
 * Every trainer holds a valid `trainer`-level certification of each competency the session
 * teaches on every session day, from its start to its end, and has not left the service by its
 * end: a certification expiring mid-session does not count. Validity is `evaluateQualification`'s
 * answer, asked at the start, at each midnight (UTC) and each instant a certification starts or
 * stops counting within the session, and at the end: between two of those instants the answer
 * cannot change. An unknown trainer holds nothing.
 */
export function trainerGaps(
  trainers: readonly string[],
  competencies: readonly GrantedCompetency[],
  records: TrainerRecords,
  startsAt: Instant,
  endsAt: Instant,
): TrainerGap[] {
  const requirements = competencies.map(({ competency }) => ({
    role: 'trainer',
    competency,
    minLevel: 'trainer' as const,
  }));
  return trainers.flatMap((trainerId): TrainerGap[] => {
    const record = records[trainerId];
    const left = record?.placements.find((p) => p.status === 'left');
    if (left && toMillis(left.from) <= toMillis(endsAt)) {
      return [{ trainerId, competency: null, held: null, leftAt: left.from }];
    }
    const unmet = new Map<string, TrainerGap>();
    for (const at of judgedInstants(startsAt, endsAt, record)) {
      const certifications = record ? certificationsAt(record, at) : [];
      for (const { competency, held } of evaluateQualification(requirements, certifications, at).violations) {
        if (!unmet.has(competency)) unmet.set(competency, { trainerId, competency, held });
      }
    }
    return [...unmet.values()];
  });
}

/** Refuses a command that records what the session delivers while a trainer does not qualify. */
export function checkTrainers(state: SessionRecord, records: TrainerRecords): void {
  const [first, ...rest] = trainerGaps(
    state.trainers,
    state.competencies,
    records,
    state.startsAt,
    state.endsAt,
  );
  if (first) throw sessionErrors.trainerNotQualified(state.sessionId, [first, ...rest]);
}

/** The replacement is judged as a scheduled trainer is, over the whole session. */
export function replacement(command: ReplaceSessionTrainer, state: SessionRecord, records: TrainerRecords) {
  const { sessionId } = state;
  const replaced = requireText(command.data.replace, 'replace');
  const by = requireText(command.data.with, 'with');
  if (!state.trainers.includes(replaced)) throw sessionErrors.notATrainer(sessionId, replaced);
  if (state.trainers.includes(by)) throw sessionErrors.alreadyATrainer(sessionId, by);
  if (state.participants[by]?.enrolled) throw sessionErrors.trainerIsParticipant(sessionId, by);
  const gaps = trainerGaps([by], state.competencies, records, state.startsAt, state.endsAt);
  if (gaps.length > 0) throw sessionErrors.trainerNotAccredited(gaps);
  const reason = command.data.reason?.trim() || null;
  return { sessionId, replaced, replacement: by, reason };
}

/**
 * The session's start, each midnight and each instant inside it where the trainer's history
 * changes (a period starting or ending, a suspension, a reinstatement…), and its end, in order.
 */
function judgedInstants(startsAt: Instant, endsAt: Instant, record: TrainerRecord | undefined): Instant[] {
  const start = toMillis(startsAt);
  const end = toMillis(endsAt);
  const inside = new Set<number>([start, end]);
  for (let day = Math.floor(start / DAY_MS + 1) * DAY_MS; day < end; day += DAY_MS) inside.add(day);
  for (const instant of record ? changeInstants(record) : []) {
    const boundary = toMillis(instant);
    if (boundary > start && boundary < end) inside.add(boundary);
  }
  return [...inside].sort((a, b) => a - b).map(toInstant);
}

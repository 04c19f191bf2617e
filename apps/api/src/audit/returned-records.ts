/** How many ids of each kind an access-log entry lists; `count` still counts them all. */
export const ACCESS_LOG_MAX_IDS = 100;

// Where an answer names the records it gives: JSON members, or the columns of exported rows.
const STAFF_KEYS = new Set(['staffId', 'staff_id']);
const TEAM_KEYS = new Set(['teamId', 'team_id']);
const MAX_DEPTH = 8;

/** What an access-log entry records of an answer: the ids of the records it gave, bounded. */
export interface ReturnedRecordsSummary {
  /**
   * How many staff and team ids the answer named, each once (exact while the lists hold them all;
   * past the bound an id named twice counts twice: a set of every id would not be bounded).
   */
  readonly count: number;
  /** The first {@link ACCESS_LOG_MAX_IDS} distinct staff ids, in the order of the answer. */
  readonly staffIds: readonly string[];
  /** The first {@link ACCESS_LOG_MAX_IDS} distinct team ids, in the order of the answer. */
  readonly teamIds: readonly string[];
}

/**
 * The staff members and teams an answer gives, found by walking it for `staffId` and `teamId`
 * members (rows' `staff_id`, `team_id`): who was read, not what was read about them — ids are
 * surrogates, kept after an erasure, while names and search terms are never recorded.
 */
export class ReturnedRecords {
  private readonly staff = new Set<string>();
  private readonly teams = new Set<string>();
  private count = 0;

  /** Notes the ids in `value` (an answer, or one exported row). */
  note(value: unknown, depth = 0): this {
    if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return this;
    if (Array.isArray(value)) {
      for (const item of value) this.note(item, depth + 1);
      return this;
    }
    for (const [key, member] of Object.entries(value)) {
      if (typeof member === 'string' && STAFF_KEYS.has(key)) this.add(this.staff, member);
      else if (typeof member === 'string' && TEAM_KEYS.has(key)) this.add(this.teams, member);
      else this.note(member, depth + 1);
    }
    return this;
  }

  summary(): ReturnedRecordsSummary {
    return { count: this.count, staffIds: [...this.staff], teamIds: [...this.teams] };
  }

  private add(ids: Set<string>, id: string): void {
    if (ids.has(id)) return;
    // Past the bound only the count grows; a set of the rest would be unbounded.
    this.count += 1;
    if (ids.size < ACCESS_LOG_MAX_IDS) ids.add(id);
  }
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersonHistory } from '@cadre/domain';
import { HistoryRow } from '../bitemporal/history-row.entity.js';
import { RequirementHistoryRow } from './requirement-history-row.entity.js';
import { COVERAGE_SCHEMA } from './coverage.projection.js';

/** Where a staff member (`entity`) stood: jurisdiction, institution, agency, role. */
@Entity({ schema: COVERAGE_SCHEMA, name: 'placements' })
export class StaffPlacementHistoryEntity extends HistoryRow {
  @Column('text') jurisdiction!: string;
  @Column('text') institution!: string;
  @Column('text') agency!: string;
  @Column('text') role!: string;
}

/** When a certification of a staff member (`entity`) counted. */
@Entity({ schema: COVERAGE_SCHEMA, name: 'certifications' })
export class CertificationValidityHistoryEntity extends HistoryRow {
  @Column('text', { name: 'certification_id' }) certificationId!: string;
  @Column('text') competency!: string;
  @Column('text') level!: string;
  @Column('int', { name: 'level_rank' }) levelRank!: number;
}

/** A requirement in force in a jurisdiction (`entity`). */
@Entity({ schema: COVERAGE_SCHEMA, name: 'requirements' })
export class RequirementInForceHistoryEntity extends RequirementHistoryRow {}

/**
 * A staff member (`entity`) as the qualification rule reads them (`PersonHistory`: every placement,
 * every certification period and change of status), with where they stand now: the eligibility
 * check reads it. A current-state table (one row per person, rewritten in place), not a history.
 */
@Entity({ schema: COVERAGE_SCHEMA, name: 'person_histories' })
export class PersonHistoryEntity {
  @PrimaryColumn('text') entity!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') institution!: string;
  @Column('text') agency!: string;
  @Column('text') role!: string;
  @Column('text') status!: string;
  @Column('jsonb') history!: PersonHistory;
  /** Of the row's content: the eligibility check's cache key. */
  @Column('text') fingerprint!: string;
}

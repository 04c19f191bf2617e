import { Column } from 'typeorm';
import { HistoryRow } from '../bitemporal/history-row.entity.js';

/**
 * A requirement in force in a jurisdiction (`entity`), as framework-requirements.ts writes it for
 * the coverage and the matrix conformance: each schema declares its own entity on these columns.
 */
export abstract class RequirementHistoryRow extends HistoryRow {
  @Column('text') role!: string;
  @Column('text') competency!: string;
  @Column('text', { name: 'min_level' }) minLevel!: string;
  @Column('int', { name: 'min_rank' }) minRank!: number;
  @Column('text') source!: string;
  @Column('text', { name: 'framework_version' }) frameworkVersion!: string;
}

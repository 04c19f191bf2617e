import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MATRIX_CONFORMANCE_SCHEMA } from './matrix-conformance.projection.js';

abstract class MatrixHistoryRow {
  @PrimaryColumn('bigint') id!: string;
  @Column('text') entity!: string;
  @Column('timestamptz', { name: 'valid_from' }) validFrom!: Date;
  @Column('timestamptz', { name: 'valid_to', nullable: true }) validTo!: Date | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt!: Date | null;
  @Column('text') fingerprint!: string;
}

/** The version a jurisdiction (`entity`) had adopted. */
@Entity({ schema: MATRIX_CONFORMANCE_SCHEMA, name: 'adoptions' })
export class FrameworkAdoptionHistoryEntity extends MatrixHistoryRow {
  @Column('text') version!: string;
}

/** When a framework version (`entity`) was published and not retired. */
@Entity({ schema: MATRIX_CONFORMANCE_SCHEMA, name: 'publications' })
export class FrameworkPublicationHistoryEntity extends MatrixHistoryRow {
  @Column('text') version!: string;
}

/** The requirements in force in a jurisdiction (`entity`). */
@Entity({ schema: MATRIX_CONFORMANCE_SCHEMA, name: 'requirements' })
export class MatrixRequirementHistoryEntity extends MatrixHistoryRow {
  @Column('text') role!: string;
  @Column('text') competency!: string;
  @Column('text', { name: 'min_level' }) minLevel!: string;
  @Column('int', { name: 'min_rank' }) minRank!: number;
  @Column('text') source!: string;
  @Column('text', { name: 'framework_version' }) frameworkVersion!: string;
}

import { Column, Entity } from 'typeorm';
import { HistoryRow } from '../bitemporal/history-row.entity.js';
import { RequirementHistoryRow } from '../requirement-coverage/requirement-history-row.entity.js';
import { MATRIX_CONFORMANCE_SCHEMA } from './matrix-conformance.projection.js';

/** The version a jurisdiction (`entity`) had adopted. */
@Entity({ schema: MATRIX_CONFORMANCE_SCHEMA, name: 'adoptions' })
export class FrameworkAdoptionHistoryEntity extends HistoryRow {
  @Column('text') version!: string;
}

/** When a framework version (`entity`) was published and not retired. */
@Entity({ schema: MATRIX_CONFORMANCE_SCHEMA, name: 'publications' })
export class FrameworkPublicationHistoryEntity extends HistoryRow {
  @Column('text') version!: string;
}

/** The requirements in force in a jurisdiction (`entity`). */
@Entity({ schema: MATRIX_CONFORMANCE_SCHEMA, name: 'requirements' })
export class MatrixRequirementHistoryEntity extends RequirementHistoryRow {}

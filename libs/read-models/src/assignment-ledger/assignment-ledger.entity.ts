import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ASSIGNMENT_LEDGER_SCHEMA } from './assignment-ledger.projection.js';

/** A line of the assignment ledger (see assignment-ledger.projection.ts). */
@Entity({ schema: ASSIGNMENT_LEDGER_SCHEMA, name: 'entries' })
export class AssignmentLedgerEntryEntity {
  @PrimaryColumn('uuid', { name: 'event_id' }) eventId!: string;
  @Column('text', { name: 'team_id' }) teamId!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column('text', { name: 'team_role', nullable: true }) teamRole!: string | null;
  @Column('text', { name: 'acted_by', nullable: true }) actedBy!: string | null;
  @Column('text', { name: 'override_id', nullable: true }) overrideId!: string | null;
  @Column('text', { name: 'requested_by', nullable: true }) requestedBy!: string | null;
  @Column('text', { name: 'approved_by', nullable: true }) approvedBy!: string | null;
  @Column('text', { nullable: true }) justification!: string | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('jsonb', { nullable: true }) qualification!: unknown;
  @Column('jsonb', { nullable: true }) violations!: unknown;
  @Column('text', { name: 'requirements_version', nullable: true }) requirementsVersion!: string | null;
  @Column('text', { name: 'correlation_id' }) correlationId!: string;
  /** Log order among lines of the same business time. */
  @Column('bigint') seq!: string;
  @Column('timestamptz', { name: 'valid_from' }) validFrom!: Date;
  @Column('timestamptz', { name: 'valid_to', nullable: true }) validTo!: Date | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt!: Date | null;
}

/** The team → jurisdiction lookup of the ledger. */
@Entity({ schema: ASSIGNMENT_LEDGER_SCHEMA, name: 'teams' })
export class AssignmentLedgerTeamEntity {
  @PrimaryColumn('text', { name: 'team_id' }) teamId!: string;
  @Column('text') jurisdiction!: string;
}

import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { EXPIRY_GAPS_SCHEMA } from './expiry-gaps.projection.js';

abstract class Bitemporal {
  @PrimaryGeneratedColumn('increment', { name: 'row_id', type: 'bigint' }) rowId!: string;
  @Column('text', { name: 'entity_key' }) entityKey!: string;
  @Column('timestamptz', { name: 'valid_from' }) validFrom!: Date;
  @Column('timestamptz', { name: 'valid_to', nullable: true }) validTo!: Date | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt!: Date | null;
  /** What the engine compares believed rows by (see timeline.ts). */
  @Column('text') fingerprint!: string;
}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'certifications' })
export class ExpiryGapsCertificationEntity extends Bitemporal {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text', { name: 'certification_id' }) certificationId!: string;
  @Column('text') competency!: string;
  @Column('text') level!: string;
  @Column('int', { name: 'level_rank' }) levelRank!: number;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'certified_from' }) certifiedFrom!: Date;
  @Column('timestamptz', { name: 'certified_until' }) certifiedUntil!: Date;
  @Column('timestamptz', { name: 'window_opens_at' }) windowOpensAt!: Date;
  @Column('jsonb') evidence!: unknown;
  @Column('text', { name: 'framework_version' }) frameworkVersion!: string;
}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'members' })
export class ExpiryGapsMemberEntity extends Bitemporal {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') agency!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') institution!: string;
  @Column('text') role!: string;
  @Column('text') status!: string;
}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'team_members' })
export class ExpiryGapsTeamMembersEntity extends Bitemporal {
  @Column('text', { name: 'team_id' }) teamId!: string;
  @Column('text', { array: true }) members!: string[];
}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'names' })
export class ExpiryGapsNameEntity {
  @PrimaryColumn('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'employee_ref' }) employeeRef!: string;
}

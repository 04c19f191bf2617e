import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JOINT_TRAINING_SCHEMA } from './joint-training.projection.js';

/** A participant's attendance of a session (`entity`), with both clocks. */
@Entity({ schema: JOINT_TRAINING_SCHEMA, name: 'attendances' })
export class SessionAttendanceHistoryEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('text') entity!: string;
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') agency!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') attendance!: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('text', { name: 'session_jurisdictions', array: true }) sessionJurisdictions!: string[];
  @Column('timestamptz', { name: 'valid_from' }) validFrom!: Date;
  @Column('timestamptz', { name: 'valid_to', nullable: true }) validTo!: Date | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt!: Date | null;
  @Column('text') fingerprint!: string;
}

/** When a session (`entity`) was joint (prison and probation both attended), with both clocks. */
@Entity({ schema: JOINT_TRAINING_SCHEMA, name: 'joint_sessions' })
export class JointSessionHistoryEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('text') entity!: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('text', { name: 'session_jurisdictions', array: true }) sessionJurisdictions!: string[];
  @Column('timestamptz', { name: 'valid_from' }) validFrom!: Date;
  @Column('timestamptz', { name: 'valid_to', nullable: true }) validTo!: Date | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt!: Date | null;
  @Column('text') fingerprint!: string;
}

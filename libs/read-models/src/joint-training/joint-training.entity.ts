import { Column, Entity } from 'typeorm';
import { HistoryRow } from '../bitemporal/history-row.entity.js';
import { JOINT_TRAINING_SCHEMA } from './joint-training.projection.js';

/** A participant's attendance of a session (`entity`), with both clocks. */
@Entity({ schema: JOINT_TRAINING_SCHEMA, name: 'attendances' })
export class SessionAttendanceHistoryEntity extends HistoryRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') agency!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') attendance!: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('text', { name: 'session_jurisdictions', array: true }) sessionJurisdictions!: string[];
}

/** When a session (`entity`) was joint (prison and probation both attended), with both clocks. */
@Entity({ schema: JOINT_TRAINING_SCHEMA, name: 'joint_sessions' })
export class JointSessionHistoryEntity extends HistoryRow {
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('text', { name: 'session_jurisdictions', array: true }) sessionJurisdictions!: string[];
}

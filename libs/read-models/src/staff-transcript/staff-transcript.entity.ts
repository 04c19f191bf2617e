import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimelineRow } from '../bitemporal/history-row.entity.js';
import { STAFF_TRANSCRIPT_SCHEMA } from './staff-transcript.projection.js';

/** The four time columns of a bitemporal history row (see docs/read-models.md). */
@Entity({ schema: STAFF_TRANSCRIPT_SCHEMA, name: 'certifications' })
export class TranscriptCertificationEntity extends TimelineRow {
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

@Entity({ schema: STAFF_TRANSCRIPT_SCHEMA, name: 'trainings' })
export class TranscriptTrainingEntity extends TimelineRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text', { name: 'session_id' }) sessionId!: string;
  @Column('text', { nullable: true }) enrolment!: string | null;
  @Column('text', { nullable: true }) attendance!: string | null;
  @Column('jsonb', { nullable: true }) hours!: number | null;
  @Column('text', { nullable: true }) result!: string | null;
  @Column('jsonb', { nullable: true }) score!: number | null;
}

@Entity({ schema: STAFF_TRANSCRIPT_SCHEMA, name: 'members' })
export class TranscriptMemberEntity extends TimelineRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') agency!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') institution!: string;
  @Column('text') role!: string;
  @Column('text') status!: string;
}

@Entity({ schema: STAFF_TRANSCRIPT_SCHEMA, name: 'names' })
export class TranscriptNameEntity {
  @PrimaryColumn('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'employee_ref' }) employeeRef!: string;
}

@Entity({ schema: STAFF_TRANSCRIPT_SCHEMA, name: 'sessions' })
export class TranscriptSessionEntity {
  @PrimaryColumn('text', { name: 'session_id' }) sessionId!: string;
  @Column('text', { name: 'programme_id' }) programmeId!: string;
  @Column('jsonb') competencies!: unknown;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('timestamptz', { name: 'ends_at' }) endsAt!: Date;
  @Column('text') location!: string;
  @Column('text', { array: true }) jurisdictions!: string[];
  @Column('text', { array: true }) trainers!: string[];
  @Column('text') status!: string;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CertificationTimelineRow, MemberTimelineRow, NameRow } from './staff-rows.entity.js';
import { TimelineRow } from '../bitemporal/history-row.entity.js';
import { STAFF_TRANSCRIPT_SCHEMA } from './staff-transcript.projection.js';

@Entity({ schema: STAFF_TRANSCRIPT_SCHEMA, name: 'certifications' })
export class TranscriptCertificationEntity extends CertificationTimelineRow {}

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
export class TranscriptMemberEntity extends MemberTimelineRow {}

@Entity({ schema: STAFF_TRANSCRIPT_SCHEMA, name: 'names' })
export class TranscriptNameEntity extends NameRow {}

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

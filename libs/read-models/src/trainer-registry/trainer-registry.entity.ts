import { Column, Entity } from 'typeorm';
import {
  CertificationTimelineRow,
  MemberTimelineRow,
  NameRow,
} from '../staff-transcript/staff-rows.entity.js';
import { TimelineRow } from '../bitemporal/history-row.entity.js';
import { TRAINER_REGISTRY_SCHEMA } from './trainer-registry.projection.js';

@Entity({ schema: TRAINER_REGISTRY_SCHEMA, name: 'certifications' })
export class TrainerAccreditationEntity extends CertificationTimelineRow {}

@Entity({ schema: TRAINER_REGISTRY_SCHEMA, name: 'members' })
export class TrainerMemberEntity extends MemberTimelineRow {}

@Entity({ schema: TRAINER_REGISTRY_SCHEMA, name: 'sessions' })
export class TrainerSessionEntity extends TimelineRow {
  @Column('text', { name: 'session_id' }) sessionId!: string;
  @Column('text', { name: 'programme_id' }) programmeId!: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('timestamptz', { name: 'ends_at' }) endsAt!: Date;
  @Column('text', { array: true }) jurisdictions!: string[];
  @Column('text', { array: true }) trainers!: string[];
  @Column('text') status!: string;
}

@Entity({ schema: TRAINER_REGISTRY_SCHEMA, name: 'names' })
export class TrainerNameEntity extends NameRow {}

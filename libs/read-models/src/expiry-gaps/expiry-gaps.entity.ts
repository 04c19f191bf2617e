import { Column, Entity } from 'typeorm';
import {
  CertificationTimelineRow,
  MemberTimelineRow,
  NameRow,
} from '../staff-transcript/staff-rows.entity.js';
import { TimelineRow } from '../bitemporal/history-row.entity.js';
import { EXPIRY_GAPS_SCHEMA } from './expiry-gaps.projection.js';

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'certifications' })
export class ExpiryGapsCertificationEntity extends CertificationTimelineRow {}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'members' })
export class ExpiryGapsMemberEntity extends MemberTimelineRow {}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'team_members' })
export class ExpiryGapsTeamMembersEntity extends TimelineRow {
  @Column('text', { name: 'team_id' }) teamId!: string;
  @Column('text', { array: true }) members!: string[];
}

@Entity({ schema: EXPIRY_GAPS_SCHEMA, name: 'names' })
export class ExpiryGapsNameEntity extends NameRow {}

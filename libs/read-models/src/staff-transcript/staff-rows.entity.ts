import { Column, PrimaryColumn } from 'typeorm';
import { TimelineRow } from '../bitemporal/history-row.entity.js';

/*
 * The columns of the tables that the staff timelines (staff-timelines.ts) and the names table
 * (staff-names.ts) write, the same in every schema that keeps them: the transcript, the expiry
 * gaps, the trainer registry, the lapse inbox. Each schema declares its own entities on them.
 */

/** A certification's timeline row: what it certifies, its validity and the evidence. */
export abstract class CertificationTimelineRow extends TimelineRow {
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

/** A member's timeline row: where they are placed and their status. */
export abstract class MemberTimelineRow extends TimelineRow {
  @Column('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') agency!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') institution!: string;
  @Column('text') role!: string;
  @Column('text') status!: string;
}

/** A member's personal data, the one place a schema keeps it ("erased" once erased). */
export abstract class NameRow {
  @PrimaryColumn('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'employee_ref' }) employeeRef!: string;
}

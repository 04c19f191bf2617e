import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SESSION_LIST_SCHEMA } from './session-list.projection.js';

/** A session as the managers' list shows it, with the derived joint flag (current state). */
@Entity({ schema: SESSION_LIST_SCHEMA, name: 'sessions' })
export class SessionListEntity {
  @PrimaryColumn('text', { name: 'session_id' }) sessionId!: string;
  @Column('text', { name: 'programme_id' }) programmeId!: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('timestamptz', { name: 'ends_at' }) endsAt!: Date;
  @Column('text') location!: string;
  @Column('text', { array: true }) jurisdictions!: string[];
  @Column('text', { array: true }) agencies!: string[];
  @Column('text', { array: true }) trainers!: string[];
  @Column('int') capacity!: number;
  @Column('text') status!: string;
  @Column('int') enrolled!: number;
  @Column('boolean') joint!: boolean;
}

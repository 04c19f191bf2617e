import { Column, Entity, PrimaryColumn } from 'typeorm';
import { STAFF_DIRECTORY_SCHEMA } from './staff-directory.projection.js';

/** A member of the staff directory as they stand now (see staff-directory.projection.ts). */
@Entity({ schema: STAFF_DIRECTORY_SCHEMA, name: 'staff' })
export class StaffDirectoryEntity {
  @PrimaryColumn('text', { name: 'staff_id' }) staffId!: string;
  @Column('text') agency!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') institution!: string;
  @Column('text') role!: string;
  @Column('text') status!: 'active' | 'left';
  @Column('text') name!: string;
  @Column('text') email!: string;
  @Column('text', { name: 'employee_ref' }) employeeRef!: string;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt!: Date;
  @Column('timestamptz', { name: 'left_at', nullable: true }) leftAt!: Date | null;
}

import { Inject, Injectable } from '@nestjs/common';
import {
  frameworkDecider,
  jurisdictionDecider,
  programmeDecider,
  programmeStream,
  staffDecider,
  staffSnapshot,
  staffStream,
  type FrameworkDefinition,
  type FrameworkState,
  type Instant,
  type JurisdictionRules,
  type JurisdictionState,
  type PublishedFramework,
  type ProgrammeState,
  type StaffSnapshot,
  type TeamRules,
  type TrainerRecord,
} from '@cadre/domain';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import { loadAggregate } from '../handle-command.js';
import {
  loadJurisdictionRules,
  loadLatestPublishedFramework,
  loadStaffSnapshots,
  loadTeamRules,
} from '../reference-reads.js';

/**
 * Reads the aggregates a decision needs besides its own stream (the framework in force, a
 * jurisdiction's rules, …). Each read is one stream read at its current revision; a concurrent
 * change after it is caught by the processes that watch for it (lapses), as DOMAIN.md says.
 */
@Injectable()
export class ReferenceData {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async framework(version: string): Promise<FrameworkState> {
    return (await loadAggregate(this.store, `framework-${version}`, frameworkDecider)).state;
  }

  async jurisdiction(code: string): Promise<JurisdictionState> {
    return (await loadAggregate(this.store, `jurisdiction-${code}`, jurisdictionDecider)).state;
  }

  /** The regional baseline: the latest published framework version, undefined when none is. */
  latestPublishedFramework(): Promise<PublishedFramework | undefined> {
    return loadLatestPublishedFramework(this.store);
  }

  async programme(programmeId: string): Promise<ProgrammeState> {
    return (await loadAggregate(this.store, programmeStream(programmeId), programmeDecider)).state;
  }

  /** A staff member as a team or a session reads them, from their stream at its current revision. */
  async staffSnapshot(staffId: string): Promise<StaffSnapshot | undefined> {
    return staffSnapshot((await loadAggregate(this.store, staffStream(staffId), staffDecider)).state);
  }

  /** Several people's snapshots by id (read in parallel); ids never registered are left out. */
  staffSnapshots(staffIds: readonly string[]): Promise<Record<string, StaffSnapshot>> {
    return loadStaffSnapshots(this.store, staffIds);
  }

  /** A jurisdiction's rules with every framework version it adopted: what the qualification rule reads. */
  jurisdictionRules(code: string): Promise<TeamRules> {
    return loadJurisdictionRules(this.store, code);
  }

  /**
   * What the session trainer check reads of each trainer: their whole history (certifications
   * over time, departure). No entry for an id that was never registered.
   */
  trainerRecords(staffIds: readonly string[]): Promise<Record<string, TrainerRecord>> {
    return loadStaffSnapshots(this.store, staffIds);
  }

  /**
   * A jurisdiction's rules and the framework version it had adopted at `at`: what team
   * assignments check. Refused (422) when the jurisdiction had adopted no framework then.
   */
  teamRules(
    code: string,
    at: Instant,
  ): Promise<{ framework: FrameworkDefinition; jurisdiction: JurisdictionRules }> {
    return loadTeamRules(this.store, code, at);
  }

  /**
   * The framework version a jurisdiction had adopted at `at`: the roles a staff member may hold
   * and the validity a certification gets. Refused (422) when it had adopted none then.
   */
  async frameworkInForce(code: string, at: Instant): Promise<FrameworkDefinition> {
    return (await this.teamRules(code, at)).framework;
  }
}

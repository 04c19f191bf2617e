import { Inject, Injectable } from '@nestjs/common';
import {
  frameworkDecider,
  jurisdictionDecider,
  type FrameworkState,
  type JurisdictionState,
} from '@cadre/domain';
import { EVENT_STORE, loadAggregate, type EventStore } from '@cadre/event-store';

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
}

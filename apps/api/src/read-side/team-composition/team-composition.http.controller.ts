import { Inject, Param, Query } from '@nestjs/common';
import { CLOCK, type Clock } from '@cadre/kernel';
import { AuditController } from '../../shared/api-controller.js';
import { ResourceNotFoundError } from '../../shared/not-found.error.js';
import {
  READ_PROBLEMS,
  ReadRoute,
  answeredFor,
  jurisdictionScope,
  sendCsv,
  wantsCsv,
  type CsvColumn,
  PointInTimeQueryDto,
  ReadRequest,
} from '../shared/index.js';
import { parsePointInTime, TeamCompositionReadQuery, type CompositionLapseRow } from '@cadre/read-models';
import { anything, object, pointInTime, str } from '../../shared/response.schemas.js';

const DAY_MS = 86_400_000;

/**
 * A team's composition at `asOf` as known at `knownAt`: the disciplines present against those
 * required, the members, the unqualified members and for how long each lapse lasted.
 */
@AuditController('teams/:id/composition', 'audit-team-composition')
export class TeamCompositionHttpController {
  constructor(
    private readonly read: TeamCompositionReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    csv: true,
    summary: 'Team composition over time (asOf, knownAt; Accept: text/csv); 404 for an unknown team',
    ok: object({
      teamId: str(),
      ...pointInTime,
      team: anything('The team at asOf (null when it did not exist)'),
    }),
    problems: { ...READ_PROBLEMS, 404: ['TEAM.NOT_FOUND'] },
  })
  async get(
    @Param('id') teamId: string,
    @Query() params: PointInTimeQueryDto,
    @ReadRequest() read: ReadRequest,
  ): Promise<object> {
    const at = parsePointInTime(params, this.clock.now());
    const jurisdiction = await this.read.jurisdictionOf(teamId);
    if (jurisdiction === undefined) throw new ResourceNotFoundError('TEAM.NOT_FOUND', `Team ${teamId}`);
    jurisdictionScope(read.actor, jurisdiction);
    const [team, members, lapses] = await Promise.all([
      this.read.team(teamId, at),
      this.read.members(teamId, at),
      this.read.lapses(teamId, at),
    ]);
    const asOf = at.asOf.getTime();
    const lapseItem = (row: CompositionLapseRow) => {
      const end = row.valid_to === null ? asOf : Math.min(asOf, row.valid_to.getTime());
      return {
        staffId: row.staff_id,
        certificationId: row.certification_id,
        cause: row.cause,
        from: row.valid_from.toISOString(),
        to: row.valid_to === null || row.valid_to.getTime() > asOf ? null : row.valid_to.toISOString(),
        days: Math.round(((end - row.valid_from.getTime()) / DAY_MS) * 100) / 100,
      };
    };
    const history = lapses.map(lapseItem);
    if (wantsCsv(read.request)) {
      const rows = [
        ...members.map((m) => ({
          kind: 'member',
          staffId: m.staff_id,
          detail: `${m.team_role}/${m.agency}`,
          from: m.valid_from,
          to: null,
          days: null,
        })),
        ...history.map((l) => ({
          kind: l.to === null ? 'unqualified' : 'lapse-ended',
          staffId: l.staffId,
          detail: `${l.certificationId}/${l.cause}`,
          from: l.from,
          to: l.to,
          days: l.days,
        })),
      ];
      return sendCsv(read.reply, `team-${teamId}-composition`, CSV_COLUMNS, rows);
    }
    const disciplines = (team?.required_disciplines ?? []).map(({ role, minCount }) => {
      const present = members.filter((m) => m.team_role === role).length;
      return { role, required: minCount, present, met: present >= minCount };
    });
    return {
      teamId,
      ...answeredFor(at),
      team: team
        ? {
            name: team.name,
            jurisdiction: team.jurisdiction,
            kind: team.kind,
            status: team.status,
            since: team.valid_from.toISOString(),
          }
        : null,
      disciplines,
      agencies: [...new Set(members.map((m) => m.agency))].sort(),
      members: members.map((m) => ({
        staffId: m.staff_id,
        teamRole: m.team_role,
        agency: m.agency,
        byOverride: m.by_override,
        since: m.valid_from.toISOString(),
      })),
      unqualified: history.filter((l) => l.to === null),
      lapseHistory: history,
    };
  }
}

interface CsvRow {
  kind: string;
  staffId: string;
  detail: string;
  from: Date | string;
  to: string | null;
  days: number | null;
}

const CSV_COLUMNS: readonly CsvColumn<CsvRow>[] = [
  { header: 'kind', value: (r) => r.kind },
  { header: 'staffId', value: (r) => r.staffId },
  { header: 'detail', value: (r) => r.detail },
  { header: 'from', time: true, value: (r) => r.from },
  { header: 'to', time: true, value: (r) => r.to },
  { header: 'days', value: (r) => r.days },
];

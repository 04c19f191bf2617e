import { Body, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AcknowledgeLapseCommand } from '@cadre/command-handling/nest';
import { PlainText, Roles, Problems } from '@cadre/platform';
import { ApiController } from '../../shared/api-controller.js';
import { CommandReply } from '../../shared/command-reply.js';
import { Command, type CommandRequest } from '../../shared/command-request.js';
import {
  LapseInboxQueryDto,
  MANAGERS,
  ReadRoute,
  jurisdictionScope,
  pageOrCsv,
  type CsvColumn,
  ReadRequest,
} from '../shared/index.js';
import {
  InvalidQueryParameterError,
  LapseInboxReadQuery,
  lapseSortKey,
  type InboxItemRow,
} from '@cadre/read-models';
import { anything, page } from '../../shared/response.schemas.js';

export class AcknowledgeLapseRequestDto {
  /** What the manager did about it (optional). */
  @IsOptional()
  @IsString()
  @PlainText()
  @MaxLength(1000)
  note?: string;
}

/** The managers' lapse inbox: members whose qualification lapsed while serving on a team. */
@ApiController({ tag: 'teams', path: 'v1/lapses' })
export class LapseInboxHttpController {
  constructor(
    private readonly inbox: LapseInboxReadQuery,
    private readonly commands: CommandBus,
  ) {}

  @ReadRoute({
    roles: MANAGERS,
    csv: true,
    summary: 'The lapse inbox (jurisdiction, acknowledged=true|false, cursor, limit; Accept: text/csv)',
    ok: page(
      anything('A member lapsed from a team role: who, which requirement, since when, acknowledged or not'),
    ),
  })
  async list(@Query() params: LapseInboxQueryDto, @ReadRequest() read: ReadRequest): Promise<object> {
    const acknowledged = params.acknowledged;
    if (acknowledged !== undefined && acknowledged !== 'true' && acknowledged !== 'false') {
      throw new InvalidQueryParameterError('acknowledged', '"true" or "false"');
    }
    const query = {
      scope: jurisdictionScope(read.actor, params.jurisdiction),
      acknowledged: acknowledged === undefined ? undefined : acknowledged === 'true',
    };
    return pageOrCsv(read, params, {
      keyParts: 2,
      fetch: (after, count) => this.inbox.page(query, after, count),
      sortKey: lapseSortKey,
      item: lapseItem,
      csv: { filename: 'lapses', columns: CSV_COLUMNS },
    });
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({
    summary: 'Acknowledge a lapse (a manager of the team jurisdiction): records LapseAcknowledged',
    description: '404 LAPSE.NOT_FOUND; 403 LAPSE.NOT_A_MANAGER; 409 LAPSE.ALREADY_ACKNOWLEDGED.',
  })
  @Problems({ 403: ['LAPSE.NOT_A_MANAGER'], 404: ['LAPSE.NOT_FOUND'], 409: ['LAPSE.ALREADY_ACKNOWLEDGED'] })
  async acknowledge(
    @Param('id') lapseId: string,
    @Body() body: AcknowledgeLapseRequestDto,
    @Command() request: CommandRequest,
  ): Promise<CommandReply> {
    const result = await this.commands.execute(
      new AcknowledgeLapseCommand(
        { type: 'AcknowledgeLapse', data: { lapseId, note: body.note ?? null } },
        request,
      ),
    );
    return CommandReply.of(lapseId, result, 200);
  }
}

const lapseItem = (row: InboxItemRow) => ({
  lapseId: row.lapse_id,
  teamId: row.team_id,
  teamName: row.team_name,
  jurisdiction: row.jurisdiction,
  staffId: row.staff_id,
  name: row.name,
  kind: row.kind,
  teamRole: row.team_role,
  competency: row.competency,
  certificationId: row.certification_id,
  cause: row.cause,
  since: (row.since ?? row.occurred_at).toISOString(),
  unmet: row.unmet ?? [],
  detail: row.detail,
  requalifiedAt: row.requalified_at?.toISOString() ?? null,
  occurredAt: row.occurred_at.toISOString(),
  recordedAt: row.recorded_at.toISOString(),
  acknowledged:
    row.acknowledged_at === null
      ? null
      : { at: row.acknowledged_at.toISOString(), by: row.acknowledged_by, note: row.note },
});

const CSV_COLUMNS: readonly CsvColumn<InboxItemRow>[] = [
  { header: 'lapseId', value: (r) => r.lapse_id },
  { header: 'jurisdiction', value: (r) => r.jurisdiction },
  { header: 'teamId', value: (r) => r.team_id },
  { header: 'staffId', value: (r) => r.staff_id },
  { header: 'name', value: (r) => r.name },
  { header: 'kind', value: (r) => r.kind },
  { header: 'teamRole', value: (r) => r.team_role },
  { header: 'competency', value: (r) => r.competency },
  { header: 'certificationId', value: (r) => r.certification_id },
  { header: 'cause', value: (r) => r.cause },
  { header: 'since', time: true, value: (r) => r.since ?? r.occurred_at },
  { header: 'requalifiedAt', time: true, value: (r) => r.requalified_at },
  { header: 'occurredAt', time: true, value: (r) => r.occurred_at },
  { header: 'acknowledgedAt', time: true, value: (r) => r.acknowledged_at },
  { header: 'acknowledgedBy', value: (r) => r.acknowledged_by },
];

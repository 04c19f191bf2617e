import { Inject, Param, Query } from '@nestjs/common';
import { assertActsIn } from '@cadre/domain';
import { CLOCK, type Clock } from '@cadre/kernel';
import { ApiController } from '../../shared/api-controller.js';
import { ResourceNotFoundError } from '../../shared/not-found.error.js';
import {
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  EligibilityReadQuery,
  eligibleStaff,
  type EligibleStaffAnswer,
} from '@cadre/read-models';
import { EligibleStaffQueryDto } from './eligible-staff.request.dto.js';
import { MANAGERS, READ_PROBLEMS, ReadRoute, ReadRequest } from '../shared/index.js';
import { anything, page, str } from '../../shared/response.schemas.js';

/**
 * "Who is eligible for this team role": every active staff member of the team's jurisdiction,
 * judged now (the injected clock) by the one qualification rule (`judgeTeamRole`) with the inputs
 * an assignment gives it — the person's whole history, the jurisdiction's rules with every
 * adopted version, the team's kind and jurisdiction — read from the read models.
 */
@ApiController({ tag: 'teams', path: 'v1/teams/:id/eligible-staff', accessLogged: 'staff-eligibility' })
export class EligibilityHttpController {
  constructor(
    private readonly read: EligibilityReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ReadRoute({
    roles: MANAGERS,
    summary: 'Staff of the team’s jurisdiction, judged for `teamRole` as an assignment would be now',
    description:
      'Each active staff member of the team’s jurisdiction with `name` ("erased" once erased), `institution`, `agency`, `role`, ' +
      '`eligible` (could be assigned now: meets the role and is not a member yet), `qualified` (meets the role), ' +
      '`currentMember`, and when not qualified the `barrier` (left, another jurisdiction, an agency the team’s kind does not admit) ' +
      'or the `violations` (unmet requirements). A malformed `teamRole` is the assignment’s 400; a role the framework in force ' +
      'does not define is 422 `TEAM.UNKNOWN_ROLE`. Sorted eligible first, then by name, then by staffId. ' +
      '`nextCursor` is opaque: it names the last item of the page by that order (eligible, name, staffId), and the next page ' +
      'starts after it, so paging is stable while the data does not change; when it changes (a certificate expires by the clock, ' +
      'a member is assigned) later pages follow the new order from that position, without repeating or skipping anyone whose ' +
      'position did not change.',
    ok: page(
      anything(
        'A staff member judged for the role: eligible, qualified, currentMember, barrier or violations',
      ),
      { teamRole: str(), requirementsVersion: str() },
    ),
    problems: {
      ...READ_PROBLEMS,
      404: ['TEAM.NOT_FOUND'],
      422: ['JURISDICTION.NO_FRAMEWORK_ADOPTED', 'TEAM.UNKNOWN_ROLE'],
    },
  })
  async list(
    @Param('id') teamId: string,
    @Query() query: EligibleStaffQueryDto,
    @ReadRequest() read: ReadRequest,
  ): Promise<EligibleStaffAnswer> {
    const after = decodeCursor(query.cursor, 3);
    const team = await this.read.team(teamId);
    if (!team) throw new ResourceNotFoundError('TEAM.NOT_FOUND', `Team ${teamId}`);
    assertActsIn(read.actor, [team.jurisdiction]);
    const ask = {
      teamRole: query.teamRole,
      onlyEligible: query.eligible === 'true',
      after,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    };
    return eligibleStaff(this.read, teamId, team, ask, this.clock.now());
  }
}

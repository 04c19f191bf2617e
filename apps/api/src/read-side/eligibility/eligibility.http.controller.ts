import { AccessLogged } from '../../audit/access-log.js';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DomainRuleError,
  adoptedVersionAt,
  assertActsIn,
  evaluateQualification,
  requirementsInForce,
  type Actor,
} from '@cadre/domain';
import { CLOCK, CurrentActor, Roles, type Clock } from '@cadre/platform';
import { ResourceNotFoundError } from '../../shared/not-found.error.js';
import {
  InvalidQueryParameterError,
  decodeCursor,
  optionalText,
  pageOf,
  parseLimit,
  type Page,
} from '../shared/index.js';
import { EligibilityReadQuery } from './eligibility.query.js';

/**
 * "Who is eligible for this team role": every active staff member of the team's jurisdiction,
 * with what they meet and what they lack — judged by the same rules as an assignment
 * (`requirementsInForce`, `evaluateQualification`), on the read models as they stand now.
 */
@ApiTags('teams')
@ApiBearerAuth()
@AccessLogged('staff-eligibility')
@Controller('v1/teams/:id/eligible-staff')
export class EligibilityHttpController {
  constructor(
    private readonly read: EligibilityReadQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Staff of the team’s jurisdiction with what they meet and lack for `teamRole`' })
  async list(
    @Param('id') teamId: string,
    @Query() params: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ): Promise<Page<object> & { teamRole: string; requirementsVersion: string }> {
    const teamRole = optionalText(params.teamRole, 'teamRole');
    if (teamRole === undefined)
      throw new InvalidQueryParameterError('teamRole', 'the team role to check for');
    const limit = parseLimit(params.limit);
    const after = decodeCursor(params.cursor, 1);
    const team = await this.read.team(teamId);
    if (!team) throw new ResourceNotFoundError('TEAM.NOT_FOUND', `Team ${teamId}`);
    assertActsIn(actor, [team.jurisdiction]);
    const now = this.clock.now();
    const at = now.toISOString();
    const { rules, frameworks } = await this.read.rules(team.jurisdiction);
    const version = adoptedVersionAt(rules, at);
    const framework = version === undefined ? undefined : frameworks.get(version);
    if (!framework) {
      throw new DomainRuleError(
        'JURISDICTION.NO_FRAMEWORK_ADOPTED',
        `${team.jurisdiction} has not adopted a training framework, so no requirements can be checked.`,
        { jurisdiction: team.jurisdiction },
      );
    }
    const inForce = requirementsInForce(framework, rules, teamRole, at);
    const candidates = await this.read.candidates(team.jurisdiction, now, after, limit + 1);
    const certifications = await this.read.certifications(candidates.map((c) => c.staffId));
    const page = pageOf(
      candidates,
      limit,
      (candidate) => [candidate.staffId],
      (candidate) => {
        const result = evaluateQualification(
          inForce.requirements,
          certifications.get(candidate.staffId) ?? [],
          at,
        );
        return {
          ...candidate,
          eligible: result.qualified,
          meets: result.results.flatMap((r) =>
            r.met
              ? [
                  {
                    ...r.requirement,
                    certificationId: r.metBy.certificationId,
                    level: r.metBy.level,
                    validUntil: r.metBy.validUntil,
                  },
                ]
              : [],
          ),
          lacks: result.violations,
        };
      },
    );
    return { teamRole, requirementsVersion: inForce.requirementsVersion, ...page };
  }
}

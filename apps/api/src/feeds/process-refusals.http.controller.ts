import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type pg from 'pg';
import { Roles, Problems } from '@cadre/platform';
import { listRefusals, type ProcessRefusal } from '@cadre/processes';
import { READ_MODEL_POOL } from '@cadre/subscriptions/nest';
import { InvalidQueryParameterError } from '@cadre/read-models';
import { anything, list } from '../shared/response.schemas.js';

/**
 * What the process managers (awards on close, the certification schedule, lapses) were refused
 * by the domain: a process records the refusal and moves on, and admins read it here.
 */
@ApiTags('processes')
@ApiBearerAuth()
@Controller('v1/processes')
export class ProcessRefusalsHttpController {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: pg.Pool) {}

  @Get('refusals')
  @Roles('admin')
  @ApiOperation({
    summary: 'Commands the process managers sent and the domain refused, newest first (admin)',
  })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({
    description: 'The answer',
    schema: list(anything('A command a process manager sent that the domain refused')),
  })
  @Problems({ 400: ['QUERY.INVALID_PARAMETER'] })
  async refusals(@Query('limit') rawLimit?: string): Promise<{ items: ProcessRefusal[] }> {
    const limit = rawLimit === undefined ? 100 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new InvalidQueryParameterError('limit', 'a whole number from 1 to 1000');
    }
    return {
      items: await listRefusals(
        { query: async (sql, params) => ({ rows: (await this.pool.query(sql, params)).rows }) },
        limit,
      ),
    };
  }
}

import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@cadre/platform';
import { AccessLogged } from '../audit/access-log.js';
import { AUDIT_READERS } from './read-route.js';

/**
 * A controller of the api: its tag in the document, bearer authentication, its path and, for
 * reads of staff records or audit data, the subject under which each read is access-logged.
 */
export const ApiController = (options: {
  tag: string;
  path: string;
  accessLogged?: string;
}): ClassDecorator =>
  applyDecorators(
    ApiTags(options.tag),
    ApiBearerAuth(),
    ...(options.accessLogged === undefined ? [] : [AccessLogged(options.accessLogged)]),
    Controller(options.path),
  );

/**
 * A controller of audit answers: tagged `audit`, under `v1/audit/<path>`, read by auditors,
 * managers and admins, and every read of it access-logged, as `audit-<path>` unless it says
 * otherwise.
 */
export const AuditController = (path: string, accessLogged = `audit-${path}`): ClassDecorator =>
  applyDecorators(
    ApiController({ tag: 'audit', path: `v1/audit/${path}`, accessLogged }),
    Roles(...AUDIT_READERS),
  );

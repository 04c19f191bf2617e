import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessLogged } from '../audit/access-log.js';

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

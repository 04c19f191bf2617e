import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { PINO_LOGGER } from '../logging/logging.tokens.js';
import { currentRequestContext } from '../logging/request-context.js';
import { PROBLEM_CONTENT_TYPE, renderProblem } from './problem-details.js';

/**
 * The one exception filter: whatever a request throws (a CadreError, a Nest HttpException,
 * Fastify's own refusals, or a bug) leaves as an RFC 9457 problem document. Bugs answer a generic
 * 500 and are logged with their stack; nothing internal reaches the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(PINO_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const correlationId = currentRequestContext()?.correlationId ?? String(request.id);
    const rendered = renderProblem(exception, { correlationId, instance: request.url?.split('?')[0] });
    const fields = { status: rendered.status, code: rendered.body.code };
    if (rendered.severity === 'error') this.logger.error({ ...fields, err: exception }, 'request failed');
    else this.logger[rendered.severity](fields, rendered.body.detail);
    if (reply.sent) return;
    void reply
      .status(rendered.status)
      .headers(rendered.headers)
      .type(PROBLEM_CONTENT_TYPE)
      .send(rendered.body);
  }
}

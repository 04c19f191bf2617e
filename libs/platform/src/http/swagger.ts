import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { completeContract, type ContractConventions } from './openapi/complete-contract.js';

/**
 * The OpenAPI document of the application: what the decorators say, completed with who may call
 * each operation and the problems it can answer (`completeContract`). `npm run openapi` writes it.
 */
export function openApiDocument(
  app: NestFastifyApplication,
  version: string,
  conventions: ContractConventions = {},
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Cadre API')
    .setDescription(
      'Training, certification and team-assignment records for prison and probation services. ' +
        'Every operation needs a bearer token (development tokens: `npm run token`) whose roles it admits ' +
        '(`x-cadre-roles`), except those whose `security` is empty: `/health/*`, `/metrics`, ' +
        '`/v1/integration/schemas`, and this document (`/docs`, `/docs-json`). ' +
        'Errors are RFC 9457 problem details (application/problem+json) with a stable `code` and a `correlationId`; ' +
        'each operation lists the codes it can answer, by status.',
    )
    .setVersion(version)
    .setLicense('UNLICENSED: proprietary, all rights reserved', 'https://spdx.org/licenses/')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  return completeContract(SwaggerModule.createDocument(app, config), app, conventions);
}

/** OpenAPI at `/docs` (Swagger UI, which keeps the token across reloads) and `/docs-json`, both open. */
export function setupSwagger(
  app: NestFastifyApplication,
  version: string,
  conventions: ContractConventions = {},
): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app, version, conventions), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

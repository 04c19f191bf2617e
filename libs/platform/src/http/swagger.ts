import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI at `/docs` (Swagger UI) and `/docs-json`, both open; every operation needs a bearer token. */
export function setupSwagger(app: NestFastifyApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('Cadre API')
    .setDescription(
      'Training, certification and team-assignment records for prison and probation services. ' +
        'Every route except /health/*, /metrics and /docs needs a bearer token (development tokens: `npm run token`). ' +
        'Errors are RFC 9457 problem details (application/problem+json) with a stable `code` and a `correlationId`.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'docs-json',
  });
}

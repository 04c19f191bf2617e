import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { openApiDocument, setupSwagger } from '@cadre/platform';
import { API_CONTRACT_CONVENTIONS } from './shared/contract.conventions.js';

/** The version of the API in its OpenAPI document. */
export const API_VERSION = '1';

/** The document `/docs-json` serves (`npm run openapi` writes it to a file). */
export const apiDocument = (app: NestFastifyApplication): OpenAPIObject =>
  openApiDocument(app, API_VERSION, API_CONTRACT_CONVENTIONS);

/** Serves the document at `/docs-json` and Swagger UI at `/docs`. */
export function setupApiDocs(app: NestFastifyApplication): void {
  setupSwagger(app, API_VERSION, API_CONTRACT_CONVENTIONS);
}

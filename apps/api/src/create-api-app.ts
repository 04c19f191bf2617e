import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  PinoLoggerService,
  fastifyOptions,
  installRequestHooks,
  openApiDocument,
  setupSwagger,
} from '@cadre/platform';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule, type ApiOptions } from './app.module.js';
import { API_CONTRACT_CONVENTIONS } from './shared/contract.conventions.js';

/** The version of the API in its OpenAPI document. */
export const API_VERSION = '1';

/** The document `/docs-json` serves (`npm run openapi` writes it to a file). */
export const apiDocument = (app: NestFastifyApplication): OpenAPIObject =>
  openApiDocument(app, API_VERSION, API_CONTRACT_CONVENTIONS);

/**
 * Builds the api application, ready to `listen` (main.ts) or to be driven by tests: the same
 * modules, hooks and documentation either way. The caller listens (or `init`s) and closes it.
 */
export async function createApiApp(options: ApiOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    new FastifyAdapter(fastifyOptions(options.logger)),
    { logger: new PinoLoggerService(options.logger), abortOnError: false },
  );
  installRequestHooks(app, options.logger);
  setupSwagger(app, API_VERSION, API_CONTRACT_CONVENTIONS);
  return app;
}

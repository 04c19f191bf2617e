import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLoggerService, fastifyOptions, installRequestHooks } from '@cadre/platform';
import { setupApiDocs } from '../apps/api/src/api-document.js';
import { ServerModule, type ServerOptions } from './server.module.js';

/**
 * Builds the server (the api, with the worker unless CADRE_IN_PROCESS_WORKER=false), ready to
 * `listen` (main.ts) or to be driven by tests: the same modules, hooks and documentation either
 * way. The caller listens (or `init`s) and closes it.
 */
export async function createServerApp(options: ServerOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ServerModule.register(options),
    new FastifyAdapter(fastifyOptions(options.logger, { trustProxy: options.config.CADRE_TRUST_PROXY })),
    { logger: new PinoLoggerService(options.logger), abortOnError: false },
  );
  installRequestHooks(app, options.logger);
  setupApiDocs(app);
  return app;
}

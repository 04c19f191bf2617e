import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandReplyInterceptor } from './command-reply.interceptor.js';
import { CommandRunner } from './command-runner.js';
import { IdempotencyStore } from './idempotency.store.js';
import { pgPoolProvider, PG_POOL } from './pg-pool.provider.js';
import { ReferenceData } from './reference-data.js';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor.js';

/** What every api context uses: the command bus, the load-decide-append runner, replies (the clock is the platform's). */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    pgPoolProvider,
    CommandRunner,
    IdempotencyStore,
    ReferenceData,
    { provide: APP_INTERCEPTOR, useClass: CommandReplyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
  ],
  exports: [CqrsModule, PG_POOL, CommandRunner, ReferenceData],
})
export class ApiCommonModule {}

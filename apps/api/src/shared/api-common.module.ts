import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandHandlingModule } from '@cadre/command-handling/nest';
import { CommandReplyInterceptor } from './command-reply.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor.js';

/**
 * What every api context uses: the command bus, the command handlers with their load-decide-append
 * runner and reference reads (libs/command-handling), replies (the clock is the platform's).
 */
@Global()
@Module({
  imports: [CqrsModule.forRoot(), CommandHandlingModule],
  providers: [
    IdempotencyStore,
    { provide: APP_INTERCEPTOR, useClass: CommandReplyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
  ],
  exports: [CqrsModule, CommandHandlingModule],
})
export class ApiCommonModule {}

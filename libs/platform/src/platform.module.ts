import { Global, Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import type { Logger } from 'pino';
import { AuthGuard } from './auth/auth.guard.js';
import { CallerThrottlerGuard } from './auth/caller-throttler.guard.js';
import { RequestAuthentication } from './auth/request-authentication.js';
import { RouteRolesAudit } from './auth/route-roles.audit.js';
import { JwtVerifier } from './auth/jwt.js';
import { AppConfig } from './config/app-config.js';
import { ProblemDetailsFilter } from './errors/problem-details.filter.js';
import { RequestValidationError } from './errors/request-errors.js';
import { HealthModule } from './health/health.module.js';
import { ReadinessDetails } from './health/readiness-details.js';
import { PINO_LOGGER } from './logging/logging.tokens.js';
import { EventStoreMetrics } from './metrics/event-store.metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsRegistry } from './metrics/metrics.registry.js';
import { CLOCK, systemClock, type Clock } from '@cadre/kernel';
import { Stopping } from './http/stopping.js';

export interface PlatformOptions {
  /** The validated configuration (loadConfig), read once by the entry point. */
  readonly config: AppConfig;
  /** The process's pino logger (createLogger), shared with Fastify. */
  readonly logger: Logger;
  /** The process's clock: the system's unless a test or a simulation gives its own. */
  readonly clock?: Clock;
}

/**
 * What every Cadre process has: configuration (`AppConfig`, and `ConfigService` over the same
 * values), the pino logger, the clock, the metrics registry, the readiness details, the event-store metrics
 * and whether the process is stopping (`Stopping`). Global.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot({ config, logger, clock = systemClock }: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...config })] })],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PINO_LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
        MetricsRegistry,
        ReadinessDetails,
        Stopping,
        {
          provide: EventStoreMetrics,
          useFactory: (m: MetricsRegistry) => new EventStoreMetrics(m),
          inject: [MetricsRegistry],
        },
      ],
      exports: [
        AppConfig,
        PINO_LOGGER,
        CLOCK,
        MetricsRegistry,
        ReadinessDetails,
        EventStoreMetrics,
        Stopping,
      ],
    };
  }
}

/**
 * What an HTTP process adds: the bearer-token guard on every route, the problem+json filter, the
 * strict validation pipe, `/metrics` and `/health/*`.
 */
@Module({
  imports: [HealthModule, DiscoveryModule],
  controllers: [MetricsController],
  providers: [
    RouteRolesAudit,
    RequestAuthentication,
    {
      provide: JwtVerifier,
      useFactory: (config: AppConfig) =>
        new JwtVerifier(config.jwtSecret, {
          maxHours: config.CADRE_TOKEN_MAX_HOURS,
          jurisdictions: config.CADRE_JURISDICTIONS,
        }),
      inject: [AppConfig],
    },
    { provide: APP_GUARD, useClass: AuthGuard },
    // After authentication, so that callers are counted by their token's subject.
    { provide: APP_GUARD, useClass: CallerThrottlerGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
      }),
    },
  ],
})
export class HttpPlatformModule {}

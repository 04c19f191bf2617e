import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type pg from 'pg';
import type { Logger } from 'pino';
import { EVENT_STORE, type EventStore } from '@cadre/event-store';
import {
  CertificationEventMapper,
  WebhookDispatcher,
  WebhookSubscriptions,
  keyRingSecretBox,
  type WebhookDispatcherOptions,
} from '@cadre/integration';
import { PersonalDataVault, configuredKeyRing } from '@cadre/personal-data';
import { AppConfig, MetricsRegistry, PINO_LOGGER } from '@cadre/platform';
import { Counter } from 'prom-client';
import type { LeaseProvider } from '@cadre/subscriptions';
import { LEASES, READ_MODEL_POOL } from '@cadre/subscriptions/nest';

const PERSONAL_DATA_FIELD = 'personal-data';

/** Webhook delivery in the worker: the dispatcher over every active subscription. */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly dispatcher: WebhookDispatcher;
  /** A dispatcher as this worker's, on other leases: another worker's, in tests (options overridden). */
  readonly dispatcherWith: (leases: LeaseProvider, options?: WebhookDispatcherOptions) => WebhookDispatcher;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_POOL) pool: pg.Pool,
    @Inject(LEASES) leases: LeaseProvider,
    @Inject(PINO_LOGGER) logger: Logger,
    config: AppConfig,
    metrics: MetricsRegistry,
  ) {
    const attempts = new Counter({
      name: 'cadre_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered, failed (retried) or dead-lettered.',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    let vault: Promise<PersonalDataVault> | undefined;
    const connect = () => {
      return PersonalDataVault.connect(pool, configuredKeyRing(config), config.blindIndexKey);
    };
    const mapper = new CertificationEventMapper(store, {
      source: config.CADRE_EVENT_SOURCE,
      unsealEmployeeRef: async (staffId, sealed) => {
        vault ??= connect().catch((error: unknown) => {
          vault = undefined;
          throw error;
        });
        const value = sealed as Record<string, string> | undefined;
        if (!value || typeof value !== 'object' || !('ciphertext' in value)) return null;
        const clear = await (
          await vault
        ).unseal(staffId, PERSONAL_DATA_FIELD, {
          v: Number(value.v),
          alg: value.alg,
          iv: value.iv,
          ct: value.ciphertext,
          tag: value.tag,
        });
        return clear === null ? null : ((JSON.parse(clear) as { employeeRef?: string }).employeeRef ?? null);
      },
    });
    const secrets = keyRingSecretBox(configuredKeyRing(config));
    this.dispatcherWith = (leases, options = {}) =>
      new WebhookDispatcher(store, new WebhookSubscriptions(pool, secrets), mapper, leases, {
        // Tests: three attempts 50 ms apart; otherwise Standard Webhooks' schedule (eight attempts over about 27.5 h).
        ...(config.NODE_ENV === 'test' ? { retryDelaysMs: [50, 50] } : {}),
        blockPrivateAddresses: config.NODE_ENV === 'production',
        onAttempt: (outcome) => attempts.inc({ outcome }),
        log: (level, message, fields) => logger[level]({ webhooks: true, ...fields }, message),
        ...options,
      });
    this.dispatcher = this.dispatcherWith(leases);
  }

  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.dispatcher.stop();
  }
}

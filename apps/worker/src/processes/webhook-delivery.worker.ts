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
  ENDPOINT_STATES,
  keyRingSecretBox,
  type WebhookDispatcherOptions,
  type WebhookSubscription,
} from '@cadre/integration';
import { PersonalDataVault, configuredKeyRing } from '@cadre/personal-data';
import { AppConfig, MetricsRegistry, PINO_LOGGER } from '@cadre/platform';
import { Counter, Gauge } from 'prom-client';
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
    this.subscriptionGauges(new WebhookSubscriptions(pool, secrets), metrics);
    // The configured schedule and health thresholds (CADRE_WEBHOOK_*), in the in-process worker
    // and the standalone worker's delivery thread alike; what is absent keeps the dispatcher's
    // defaults (Standard Webhooks' eight attempts over about 27.5 h), under NODE_ENV=test three
    // attempts 50 ms apart.
    const configured = config.webhookDelivery;
    this.dispatcherWith = (leases, options = {}) =>
      new WebhookDispatcher(store, new WebhookSubscriptions(pool, secrets), mapper, leases, {
        ...(config.NODE_ENV === 'test' ? { retryDelaysMs: [50, 50] } : {}),
        ...configured,
        blockPrivateAddresses: config.NODE_ENV === 'production',
        onAttempt: (outcome) => attempts.inc({ outcome }),
        log: (level, message, fields) => logger[level]({ webhooks: true, ...fields }, message),
        ...options,
      });
    this.dispatcher = this.dispatcherWith(leases);
  }

  /** Each subscription's state and lag, read when /metrics is scraped. */
  private subscriptionGauges(subscriptions: WebhookSubscriptions, metrics: MetricsRegistry): void {
    const read = async (): Promise<WebhookSubscription[]> => subscriptions.list().catch(() => []);
    new Gauge({
      name: 'cadre_webhook_subscription_state',
      help: 'Webhook subscriptions by state (1 for the state each subscription is in): active, failing, disabled, paused.',
      labelNames: ['subscription', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const s of await read()) {
          for (const state of ENDPOINT_STATES)
            this.set({ subscription: s.id, state }, s.state === state ? 1 : 0);
        }
      },
    });
    for (const unit of ['events', 'seconds'] as const) {
      new Gauge({
        name: `cadre_webhook_lag_${unit}`,
        help: `Webhook delivery lag in ${unit}: events queued and not yet delivered${unit === 'seconds' ? ' (age of the oldest)' : ''}.`,
        labelNames: ['subscription'] as const,
        registers: [metrics.registry],
        async collect() {
          this.reset();
          for (const s of await read()) this.set({ subscription: s.id }, s.lag[unit]);
        },
      });
    }
  }

  onApplicationBootstrap(): void {
    this.dispatcher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.dispatcher.stop();
  }
}

import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { PINO_LOGGER } from '@cadre/platform';

const ENTRY = new URL('./webhook-delivery.thread.js', import.meta.url);
const STOP_TIMEOUT_MS = 15_000;
const RESTART_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * Webhook delivery in a thread of its own, for a standalone worker that also runs projections or
 * processes: delivery claims, posts and records events continuously (decision 0025), and on the
 * worker's event loop each of those steps would queue behind the read models' batches. The thread runs the same delivery (leases, cursors, metrics of its own) on
 * connections of its own; it is started again if it dies, and stopped with the worker.
 */
@Injectable()
export class WebhookDeliveryThread implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private thread: Worker | null = null;
  private stopping = false;
  private failures = 0;
  private restart: NodeJS.Timeout | null = null;

  constructor(@Inject(PINO_LOGGER) private readonly logger: Logger) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.restart) clearTimeout(this.restart);
    const thread = this.thread;
    if (!thread) return;
    const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
    thread.postMessage('stop');
    const timer = setTimeout(() => void thread.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private start(): void {
    const thread = new Worker(ENTRY);
    this.thread = thread;
    thread.on('message', (message: unknown) => {
      if (message !== 'started') return;
      this.failures = 0;
      this.logger.info('webhook delivery thread started');
    });
    thread.on('error', (error) => this.logger.error({ err: error }, 'webhook delivery thread failed'));
    thread.on('exit', (code) => {
      this.thread = null;
      if (this.stopping) return;
      const delay = RESTART_MS[Math.min(this.failures++, RESTART_MS.length - 1)];
      this.logger.error({ code, restartInMs: delay }, 'webhook delivery thread ended; starting it again');
      this.restart = setTimeout(() => this.start(), delay);
    });
  }
}

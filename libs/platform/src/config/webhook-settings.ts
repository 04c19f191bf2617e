import { Expose, Transform } from 'class-transformer';
import { IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';
import { toDuration, toDurationList, toInteger } from './config-transforms.js';

const DURATION = 'a duration such as 30s, 5m, 2h or 5d (units ms, s, m, h, d)';
const LIST = 'a comma-separated list of durations (units ms, s, m, h, d)';

/**
 * Webhook delivery's schedule and health thresholds (decision 0025), part of {@link AppConfig}.
 * Each absent variable leaves the dispatcher's default (Standard Webhooks' schedule, 20 failures,
 * probes 5 s … 1 h, 5 days): the defaults are kept in one place, libs/integration.
 */
export class WebhookSettings {
  /**
   * The delay before each attempt of an event, the first `0s` (at once), e.g. Standard Webhooks'
   * `0s,5s,5m,30m,2h,5h,10h,10h`; its schedule spent, an event goes to the dead letters.
   */
  @Expose()
  @IsOptional()
  @Transform(({ value }) => {
    const delays = toDurationList({ value });
    return Array.isArray(delays) && delays[0] === 0 && delays.length <= 20 ? delays : value;
  })
  @IsArray({
    message: `CADRE_WEBHOOK_RETRY_SCHEDULE must be ${LIST}, one per attempt (at most 20), the first 0s, e.g. 0s,5s,5m,2h`,
  })
  CADRE_WEBHOOK_RETRY_SCHEDULE?: number[];

  /** Each retry delay is spread by ± this percentage of itself. */
  @Expose()
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_WEBHOOK_RETRY_JITTER_PERCENT must be a whole number between 0 and 100' })
  @Min(0, { message: 'CADRE_WEBHOOK_RETRY_JITTER_PERCENT must be a whole number between 0 and 100' })
  @Max(100, { message: 'CADRE_WEBHOOK_RETRY_JITTER_PERCENT must be a whole number between 0 and 100' })
  CADRE_WEBHOOK_RETRY_JITTER_PERCENT?: number;

  /** Failed attempts in a row, across staff members, after which a receiver is `failing`. */
  @Expose()
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'CADRE_WEBHOOK_FAILING_AFTER must be a whole number of attempts between 1 and 1000' })
  @Min(1, { message: 'CADRE_WEBHOOK_FAILING_AFTER must be a whole number of attempts between 1 and 1000' })
  @Max(1000, { message: 'CADRE_WEBHOOK_FAILING_AFTER must be a whole number of attempts between 1 and 1000' })
  CADRE_WEBHOOK_FAILING_AFTER?: number;

  /** The delays between probes of a failing receiver, the last one repeating, e.g. `5s,30s,2m,1h`. */
  @Expose()
  @IsOptional()
  @Transform(({ value }) => {
    const delays = toDurationList({ value });
    return Array.isArray(delays) && delays.length <= 20 && delays.every((ms) => ms > 0) ? delays : value;
  })
  @IsArray({
    message: `CADRE_WEBHOOK_PROBE_SCHEDULE must be ${LIST} (at most 20), each above 0, e.g. 5s,30s,2m,1h`,
  })
  CADRE_WEBHOOK_PROBE_SCHEDULE?: number[];

  /** How long a receiver may be failing before its subscription is `disabled`. */
  @Expose()
  @IsOptional()
  @Transform(toDuration)
  @IsInt({ message: `CADRE_WEBHOOK_DISABLE_AFTER must be ${DURATION}, of 1s or more` })
  @Min(1000, { message: `CADRE_WEBHOOK_DISABLE_AFTER must be ${DURATION}, of 1s or more` })
  CADRE_WEBHOOK_DISABLE_AFTER?: number;

  /** The settings as the webhook dispatcher takes them (milliseconds); absent ones are left out. */
  get webhookDelivery(): {
    retryDelaysMs?: number[];
    retryJitter?: number;
    health: { failingAfter?: number; probeDelaysMs?: number[]; disableAfterMs?: number };
  } {
    const defined = <T extends object>(values: T): T =>
      Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as T;
    return {
      ...defined({
        retryDelaysMs: this.CADRE_WEBHOOK_RETRY_SCHEDULE?.slice(1),
        retryJitter:
          this.CADRE_WEBHOOK_RETRY_JITTER_PERCENT === undefined
            ? undefined
            : this.CADRE_WEBHOOK_RETRY_JITTER_PERCENT / 100,
      }),
      health: defined({
        failingAfter: this.CADRE_WEBHOOK_FAILING_AFTER,
        probeDelaysMs: this.CADRE_WEBHOOK_PROBE_SCHEDULE,
        disableAfterMs: this.CADRE_WEBHOOK_DISABLE_AFTER,
      }),
    };
  }
}

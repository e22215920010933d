import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** Outcome of applying an event: accepted, or the refusal's error code. */
export type EventResult = 'applied' | 'refused' | (string & {});
/** Outcome of an inbound supplier webhook. */
export type WebhookResult =
  | 'accepted'
  | 'duplicate'
  | 'bad_signature'
  | 'not_found'
  | 'refused'
  | (string & {});

const NOTIFICATION_STATES = ['pending', 'delivered', 'failed', 'no_endpoint'] as const;

/**
 * Prometheus metrics of one app instance (`GET /metrics`).
 *
 * The registry belongs to this instance, not prom-client's global one, so several apps in one
 * process (the e2e tests) do not clash over metric names. Others record what happens through the
 * methods below; the notification gauge is read from the database on each scrape (one grouped
 * count), so it is right whichever instance delivered.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly eventsApplied = new Counter({
    name: 'redress_events_applied_total',
    help: 'Case events handled, by event type and result (applied, or the refusal code)',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });

  private readonly transitions = new Counter({
    name: 'redress_transitions_total',
    help: 'State changes of cases, by case type and from/to state',
    labelNames: ['case_type', 'from', 'to'] as const,
    registers: [this.registry],
  });

  private readonly timersFired = new Counter({
    name: 'redress_timers_fired_total',
    help: 'Timers fired, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly timerLag = new Histogram({
    name: 'redress_timer_lag_seconds',
    help: 'Delay between a timer being due and being fired',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  private readonly breaches = new Counter({
    name: 'redress_breaches_total',
    help: 'Missed deadlines (SLA_BREACHED), by timer kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly webhooks = new Counter({
    name: 'redress_webhooks_total',
    help: 'Inbound supplier webhooks, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'redress_http_request_duration_seconds',
    help: 'HTTP request duration, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'redress_notifications',
      help: 'Outbound notifications, by delivery state (read from the database at scrape time)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await dataSource.query<{ state: string; n: number }[]>(
          `SELECT state, count(*)::int AS n FROM notifications GROUP BY state`,
        );
        this.reset();
        for (const state of NOTIFICATION_STATES) this.set({ state }, 0);
        for (const row of rows) this.set({ state: row.state }, row.n);
      },
    });
  }

  eventApplied(type: string, result: EventResult): void {
    this.eventsApplied.inc({ type, result });
  }

  transition(caseType: string, from: string | null, to: string | null): void {
    this.transitions.inc({ case_type: caseType, from: from ?? '', to: to ?? '' });
  }

  timerFired(kind: string, lagSeconds: number): void {
    this.timersFired.inc({ kind });
    if (Number.isFinite(lagSeconds)) this.timerLag.observe(Math.max(0, lagSeconds));
  }

  breach(kind: string): void {
    this.breaches.inc({ kind });
  }

  webhook(result: WebhookResult): void {
    this.webhooks.inc({ result });
  }

  /** The text exposition format, with its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

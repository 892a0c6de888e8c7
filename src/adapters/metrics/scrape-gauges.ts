// Account-level gauges whose values live elsewhere (the exchange, the store, the breakers). They are read when
// Prometheus scrapes rather than pushed on every change, so the engine does not have to know metrics exist.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../ports/logger.js';

export interface MetricCollectors {
  /** Account equity in USDT: balance plus unrealised P&L. */
  equity(): Promise<number>;
  /** The capital the daemon trades with: the account's balance, or INITIAL_CAPITAL in live mode when that is less. */
  tradingCapital(): Promise<number>;
  unrealizedPnl(): Promise<number>;
  /** Circuit breakers currently blocking entries. */
  activeBreakers(): Promise<number>;
  /** Notifications waiting in the outbox. */
  outboxBacklog(): Promise<number>;
}

type CollectorName = keyof MetricCollectors;

const GAUGES: readonly { readonly collector: CollectorName; readonly name: string; readonly help: string }[] = [
  { collector: 'equity', name: 'trading_equity_usdt', help: 'Account equity in USDT (balance plus unrealised P&L), read at scrape time.' },
  { collector: 'tradingCapital', name: 'trading_capital_usdt', help: 'Capital the daemon sizes positions with (at most INITIAL_CAPITAL in live mode), read at scrape time.' },
  { collector: 'unrealizedPnl', name: 'trading_unrealized_pnl_usdt', help: 'Unrealised P&L of open positions in USDT, read at scrape time.' },
  { collector: 'activeBreakers', name: 'trading_active_breakers', help: 'Circuit breakers currently blocking new entries.' },
  { collector: 'outboxBacklog', name: 'trading_outbox_backlog', help: 'Notifications waiting for delivery.' },
];

export interface ScrapeGaugesOptions {
  readonly registry: Registry;
  readonly logger?: Logger;
  /** A collector slower than this keeps its last value for this scrape; Prometheus gives up on slow targets. */
  readonly collectTimeoutMs: number;
}

function within<T>(work: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no value within ${ms} ms`)), ms);
    Promise.resolve()
      .then(work)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

/** Holds the gauges; the callbacks arrive later, once the composition root has built what they read. */
export class ScrapeGauges {
  private collectors?: MetricCollectors;
  private readonly gauges = new Map<CollectorName, Gauge>();
  private readonly failures: Counter<'collector'>;
  private pending?: Promise<void>;

  constructor(private readonly options: ScrapeGaugesOptions) {
    const { registry } = options;
    // prom-client collects every metric of a scrape in parallel; sharing one read round lets the failure counter
    // wait for the gauges and report this scrape's failures, not the previous one's.
    const round = (): Promise<void> => this.round();
    for (const spec of GAUGES) {
      this.gauges.set(spec.collector, new Gauge({ name: spec.name, help: spec.help, registers: [registry], collect: round }));
    }
    this.failures = new Counter({
      name: 'trading_metric_collector_failures_total',
      help: 'Scrape-time reads that failed or timed out; the gauge kept its previous value.',
      labelNames: ['collector'],
      registers: [registry],
      collect: round,
    });
  }

  setCollectors(collectors: MetricCollectors): void {
    this.collectors = collectors;
  }

  private round(): Promise<void> {
    this.pending ??= this.readAll().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async readAll(): Promise<void> {
    const collectors = this.collectors;
    if (!collectors) return;
    await Promise.all(GAUGES.map((spec) => this.read(collectors, spec.collector)));
  }

  private async read(collectors: MetricCollectors, name: CollectorName): Promise<void> {
    try {
      const value = await within(() => collectors[name](), this.options.collectTimeoutMs);
      if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
      this.gauges.get(name)?.set(value);
    } catch (error) {
      // A broken reading must not cost the whole scrape: the other gauges and the loop timings still matter.
      this.failures.inc({ collector: name });
      this.options.logger?.warn({ collector: name, err: error }, 'metric collector failed; gauge keeps its last value');
    }
  }
}

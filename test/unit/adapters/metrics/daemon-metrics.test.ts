import { describe, expect, it } from 'vitest';
import { createDaemonMetrics, type DaemonMetrics, type MetricCollectors } from '../../../../src/adapters/metrics/index.js';
import { RecordingLogger } from '../../../../src/testing/silent-logger.js';
import { NO_USAGE, vote } from '../../../support/factories.js';
import type { ExitVote } from '../../../../src/domain/analysis.js';

type Labels = Record<string, string | number>;

/** Reads one sample from the registry, as Prometheus would see it after a scrape. */
async function sample(metrics: DaemonMetrics, name: string, labels: Labels = {}): Promise<number | undefined> {
  const all = await metrics.registry.getMetricsAsJSON();
  for (const metric of all) {
    for (const value of metric.values as { value: number; labels: Labels; metricName?: string }[]) {
      const sampleName = value.metricName ?? metric.name;
      if (sampleName !== name) continue;
      if (Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted)) return value.value;
    }
  }
  return undefined;
}

const quiet = (): DaemonMetrics => createDaemonMetrics({ defaultMetrics: false, logger: new RecordingLogger() });

describe('loop timings', () => {
  it('when two ticks of 0.5 s and 1.5 s start 60 s apart, then the histograms hold both durations and one 60 s interval', async () => {
    const metrics = quiet();
    const first = new Date('2025-10-15T12:00:00Z');

    metrics.loop.tick({ startedAt: first, durationMs: 500 });
    metrics.loop.tick({ startedAt: new Date(first.getTime() + 60_000), durationMs: 1_500 });

    expect(await sample(metrics, 'trading_loop_tick_duration_seconds_count')).toBe(2);
    expect(await sample(metrics, 'trading_loop_tick_duration_seconds_sum')).toBeCloseTo(2.0, 9);
    expect(await sample(metrics, 'trading_loop_tick_interval_seconds_count')).toBe(1);
    expect(await sample(metrics, 'trading_loop_tick_interval_seconds_sum')).toBe(60);
    // finished at 12:01:01.5 UTC
    expect(await sample(metrics, 'trading_loop_last_tick_timestamp_seconds')).toBe(first.getTime() / 1000 + 61.5);
  });

  it('when a scan of 10 symbols takes 12 s, then the scan histogram falls in the 20 s bucket but not the 10 s one', async () => {
    const metrics = quiet();

    metrics.loop.scan({ durationMs: 12_000, symbols: 10 });

    expect(await sample(metrics, 'trading_scan_duration_seconds_bucket', { le: 10 })).toBe(0);
    expect(await sample(metrics, 'trading_scan_duration_seconds_bucket', { le: 20 })).toBe(1);
    expect(await sample(metrics, 'trading_scan_symbols')).toBe(10);
  });
});

describe('analyst calls', () => {
  const claude = { ...NO_USAGE, model: 'claude-sonnet-4-5', latencyMs: 2_400, costUsd: 0.0123 };

  it('when a valid answer took 2.4 s and cost $0.0123, then latency and cost are booked under analyst and model', async () => {
    const metrics = quiet();

    metrics.observeAnalystCall(vote({ analyst: 'claude', usage: claude }));
    metrics.observeAnalystCall(vote({ analyst: 'claude', usage: { ...claude, latencyMs: 600, costUsd: 0.01 } }));

    const labels = { analyst: 'claude', model: 'claude-sonnet-4-5' };
    expect(await sample(metrics, 'trading_ai_call_duration_seconds_count', labels)).toBe(2);
    expect(await sample(metrics, 'trading_ai_call_duration_seconds_sum', labels)).toBeCloseTo(3.0, 9);
    expect(await sample(metrics, 'trading_ai_cost_usd_total', labels)).toBeCloseTo(0.0223, 9);
    expect(await sample(metrics, 'trading_ai_call_errors_total', labels)).toBeUndefined();
  });

  it('when answers fail or are rejected, then each counts as an error with its outcome', async () => {
    const metrics = quiet();

    metrics.observeAnalystCall(vote({ analyst: 'deepseek', outcome: 'failed', action: 'hold', usage: { ...claude, model: 'deepseek-chat' } }));
    metrics.observeAnalystCall(vote({ analyst: 'deepseek', outcome: 'rejected', action: 'hold', usage: { ...claude, model: 'deepseek-chat' } }));
    metrics.observeAnalystCall(vote({ analyst: 'deepseek', outcome: 'failed', action: 'hold', usage: { ...claude, model: 'deepseek-chat' } }));

    const labels = { analyst: 'deepseek', model: 'deepseek-chat' };
    expect(await sample(metrics, 'trading_ai_call_errors_total', { ...labels, outcome: 'failed' })).toBe(2);
    expect(await sample(metrics, 'trading_ai_call_errors_total', { ...labels, outcome: 'rejected' })).toBe(1);
  });

  it('when an answer came from the cache, then it is counted as a call but adds no latency and no cost', async () => {
    const metrics = quiet();

    metrics.observeAnalystCall(vote({ analyst: 'claude', usage: { ...claude, cached: true } }));

    const labels = { analyst: 'claude', model: 'claude-sonnet-4-5' };
    expect(await sample(metrics, 'trading_ai_calls_total', { ...labels, source: 'cache', question: 'entry' })).toBe(1);
    expect(await sample(metrics, 'trading_ai_call_duration_seconds_count', labels)).toBeUndefined();
    expect(await sample(metrics, 'trading_ai_cost_usd_total', labels)).toBeUndefined();
  });

  it('tells an exit opinion from an entry vote', async () => {
    const metrics = quiet();
    const exit: ExitVote = { analyst: 'claude', outcome: 'valid', shouldExit: true, confidence: 0.8, reason: 'momentum faded', usage: claude };

    metrics.observeAnalystCall(exit);

    expect(await sample(metrics, 'trading_ai_calls_total', { analyst: 'claude', question: 'exit', source: 'provider' })).toBe(1);
  });
});

describe('gauges read at scrape time', () => {
  function collectors(overrides: Partial<MetricCollectors> = {}): MetricCollectors {
    return {
      equity: async () => 1_234.5,
      tradingCapital: async () => 100,
      unrealizedPnl: async () => -12.25,
      activeBreakers: async () => 1,
      outboxBacklog: async () => 3,
      ...overrides,
    };
  }

  it('fills every gauge from its callback', async () => {
    const metrics = quiet();
    metrics.setCollectors(collectors());

    const text = await metrics.render();

    expect(text).toMatch(/^trading_equity_usdt 1234\.5$/m);
    expect(text).toMatch(/^trading_capital_usdt 100$/m);
    expect(text).toMatch(/^trading_unrealized_pnl_usdt -12\.25$/m);
    expect(text).toMatch(/^trading_active_breakers 1$/m);
    expect(text).toMatch(/^trading_outbox_backlog 3$/m);
  });

  it('when a callback starts failing, then its gauge keeps the last value, the failure is counted and the scrape succeeds', async () => {
    const metrics = quiet();
    let equityWorks = true;
    metrics.setCollectors(
      collectors({
        equity: async () => {
          if (!equityWorks) throw new Error('exchange unreachable');
          return 1_000;
        },
        outboxBacklog: async () => (equityWorks ? 3 : 7),
      }),
    );
    await metrics.render();

    equityWorks = false;
    const text = await metrics.render();

    expect(text).toMatch(/^trading_equity_usdt 1000$/m);
    expect(text).toMatch(/^trading_outbox_backlog 7$/m);
    expect(text).toMatch(/^trading_metric_collector_failures_total\{collector="equity"\} 1$/m);
  });

  it('when a callback never answers or gives NaN, then the scrape still completes within the collector timeout', async () => {
    const metrics = createDaemonMetrics({ defaultMetrics: false, collectTimeoutMs: 30, logger: new RecordingLogger() });
    metrics.setCollectors(collectors({ equity: () => new Promise<number>(() => undefined), unrealizedPnl: async () => Number.NaN }));

    const text = await metrics.render();

    expect(text).toMatch(/^trading_metric_collector_failures_total\{collector="equity"\} 1$/m);
    expect(text).toMatch(/^trading_metric_collector_failures_total\{collector="unrealizedPnl"\} 1$/m);
    expect(text).toMatch(/^trading_active_breakers 1$/m);
  });
});

describe('the registry', () => {
  it('includes process memory and Node runtime metrics by default, in the Prometheus text format', async () => {
    const metrics = createDaemonMetrics();

    const text = await metrics.render();

    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    expect(text).toMatch(/^# TYPE trading_loop_tick_duration_seconds histogram$/m);
  });

  it('keeps two instances apart (no shared global registry)', async () => {
    const one = createDaemonMetrics();
    const two = createDaemonMetrics();

    one.loop.scan({ durationMs: 1_000, symbols: 4 });

    expect(await sample(one, 'trading_scan_duration_seconds_count')).toBe(1);
    expect(await sample(two, 'trading_scan_duration_seconds_count')).toBe(0);
  });
});

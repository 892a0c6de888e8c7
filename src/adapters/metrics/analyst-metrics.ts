// What the analysts cost and how they behave: latency, spend and failures per analyst and model. The votes already
// carry everything (`usage`, `outcome`), so observing a call is reading its answer.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ExitVote, Vote } from '../../domain/analysis.js';

/** AI calls run from well under a second to the provider timeout (default 10 s, plus bounded retries). */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60];

type CallLabels = 'analyst' | 'model';

export interface AnalystCallObserver {
  observeAnalystCall(vote: Vote | ExitVote): void;
}

function question(vote: Vote | ExitVote): 'entry' | 'exit' {
  return 'shouldExit' in vote ? 'exit' : 'entry';
}

export class AnalystMetrics implements AnalystCallObserver {
  private readonly latency: Histogram<CallLabels>;
  private readonly cost: Counter<CallLabels>;
  private readonly errors: Counter<CallLabels | 'outcome'>;
  private readonly calls: Counter<CallLabels | 'outcome' | 'question' | 'source'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.latency = new Histogram({
      name: 'trading_ai_call_duration_seconds',
      help: 'Time an analyst took to answer, retries included; answers served from the cache are left out.',
      labelNames: ['analyst', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.cost = new Counter({
      name: 'trading_ai_cost_usd_total',
      help: 'Provider spend in USD, from token counts and the price table.',
      labelNames: ['analyst', 'model'],
      registers,
    });
    this.errors = new Counter({
      name: 'trading_ai_call_errors_total',
      help: 'Calls without a usable answer: failed (no answer: timeout, outage) or rejected (answered, but invalid).',
      labelNames: ['analyst', 'model', 'outcome'],
      registers,
    });
    this.calls = new Counter({
      name: 'trading_ai_calls_total',
      help: 'Every analyst answer, by outcome, question (entry or exit) and source (provider or cache).',
      labelNames: ['analyst', 'model', 'outcome', 'question', 'source'],
      registers,
    });
  }

  observeAnalystCall(vote: Vote | ExitVote): void {
    const labels = { analyst: vote.analyst, model: vote.usage.model };
    const source = vote.usage.cached ? 'cache' : 'provider';
    this.calls.inc({ ...labels, outcome: vote.outcome, question: question(vote), source });
    if (vote.outcome !== 'valid') this.errors.inc({ ...labels, outcome: vote.outcome });
    // A cache hit costs nothing and takes no time; counting it would make the provider look faster and cheaper.
    if (vote.usage.cached) return;
    this.latency.observe(labels, Math.max(0, vote.usage.latencyMs) / 1000);
    if (vote.usage.costUsd > 0) this.cost.inc(labels, vote.usage.costUsd);
  }
}

// What the AI analysts would cost: a 30-day replay of the bundled history with Claude, DeepSeek and Grok through
// their real SDKs against local servers that answer from the prompt and report realistic token counts. Calls, tokens
// and dollars come from the decisions the engine recorded (priced with the default price table) and are checked
// against the requests the servers received. Run at the defaults (cascade, vote cache), then with both turned off.
import { callCostUsd, CLAUDE_MODEL, DEEPSEEK_MODEL, DEFAULT_PRICES, GROK_MODEL, priceFor } from '../src/adapters/analyst/ai/index.js';
import { bundledHistoryDir } from '../src/adapters/market-data/replay/index.js';
import { createAiAnalysts, exitPanel, screenerOf } from '../src/cli/compose-analysts.js';
import { runReplay } from '../src/cli/replay-runner.js';
import { DAY_MS } from '../src/domain/time.js';
import type { DecisionRecord } from '../src/ports/store.js';
import { InMemoryStore } from '../src/testing/in-memory-store.js';
import { fmt, QuietLogger, table, type BenchContext, type BenchOutcome, type Check } from './harness.js';
import { StubProviders, type ProviderCalls } from './stub-providers.js';

/** The bundled history starts 2025-08-10; after the 35-day warm-up it holds 36 more days. */
const FROM = new Date('2025-09-14T00:00:00Z');
const DAYS_PER_MONTH = 365 / 12;
const TARGET_USD = 10;
const DEFAULT_SYMBOL_COUNT = 10;
const MODELS = ['claude', 'deepseek', 'grok'] as const;

interface Scenario {
  readonly label: string;
  readonly aiMode: 'cascade' | 'full';
  readonly voteCache: boolean;
}

const SCENARIOS: readonly Scenario[] = [
  { label: 'defaults: cascade + vote cache', aiMode: 'cascade', voteCache: true },
  { label: 'AI_MODE=full, vote cache off', aiMode: 'full', voteCache: false },
];

interface Usage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

interface ScenarioResult {
  readonly scenario: Scenario;
  readonly days: number;
  readonly symbols: number;
  readonly trades: number;
  /** analyst -> purpose -> usage of the provider calls actually made. */
  readonly usage: Readonly<Record<string, Readonly<Record<'entry' | 'exit', Usage>>>>;
  readonly serverCalls: ProviderCalls;
  readonly failedCalls: number;
  readonly wallMs: number;
  /** Largest gap between a recorded cost and tokens × the default price table. */
  readonly priceMismatchUsd: number;
}

const emptyUsage = (): Usage => ({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
const sum = (parts: readonly Usage[]): Usage => parts.reduce((total, part) => ({ calls: total.calls + part.calls, inputTokens: total.inputTokens + part.inputTokens, outputTokens: total.outputTokens + part.outputTokens, costUsd: total.costUsd + part.costUsd }), emptyUsage());

function tally(decisions: readonly DecisionRecord[], logger: QuietLogger): { usage: ScenarioResult['usage']; failed: number; mismatch: number } {
  const usage: Record<string, Record<'entry' | 'exit', Usage>> = {};
  let failed = 0;
  let mismatch = 0;
  for (const decision of decisions) {
    // Cached answers are not rows; archived ones cost nothing. Every other row is one provider call.
    if (decision.usage.cached || decision.usage.archived) continue;
    const byPurpose = (usage[decision.analyst] ??= { entry: emptyUsage(), exit: emptyUsage() });
    const entry = byPurpose[decision.purpose];
    entry.calls += 1;
    entry.inputTokens += decision.usage.inputTokens;
    entry.outputTokens += decision.usage.outputTokens;
    entry.costUsd += decision.usage.costUsd;
    if (decision.outcome === 'failed') failed += 1;
    const expected = callCostUsd(priceFor(decision.usage.model, DEFAULT_PRICES, logger), decision.usage.inputTokens, decision.usage.outputTokens);
    mismatch = Math.max(mismatch, Math.abs(expected - decision.usage.costUsd));
  }
  return { usage, failed, mismatch };
}

async function runScenario(providers: StubProviders, scenario: Scenario, days: number): Promise<ScenarioResult> {
  const config = providers.config({ AI_MODE: scenario.aiMode });
  const logger = new QuietLogger();
  const ai = createAiAnalysts(config, logger);
  const store = new InMemoryStore();
  providers.answerAfter(0);
  const started = performance.now();
  const result = await runReplay({
    historyDir: bundledHistoryDir(),
    config,
    store,
    logger,
    from: FROM,
    to: new Date(FROM.getTime() + days * DAY_MS),
    analysts: () => ai,
    exitAnalysts: exitPanel(ai),
    panel: { ai: true, screener: screenerOf(ai) },
    voteCache: scenario.voteCache,
  });
  const wallMs = performance.now() - started;
  const { usage, failed, mismatch } = tally(await store.decisions.list({}), logger);
  return {
    scenario,
    days: (result.end.getTime() - result.start.getTime()) / DAY_MS,
    symbols: result.symbols.length,
    trades: result.trades.length,
    usage,
    serverCalls: providers.calls(),
    failedCalls: failed,
    wallMs,
    priceMismatchUsd: mismatch,
  };
}

const monthly = (usd: number, days: number): number => (usd / days) * DAYS_PER_MONTH;
const totalOf = (result: ScenarioResult): Usage => sum(Object.values(result.usage).flatMap((byPurpose) => [byPurpose.entry, byPurpose.exit]));
const recordedCalls = (result: ScenarioResult, model: string): number => {
  const byPurpose = result.usage[model];
  return byPurpose ? byPurpose.entry.calls + byPurpose.exit.calls : 0;
};

function breakdown(result: ScenarioResult): string {
  const rows: string[][] = [];
  for (const model of MODELS) {
    for (const purpose of ['entry', 'exit'] as const) {
      const usage = result.usage[model]?.[purpose] ?? emptyUsage();
      if (usage.calls === 0 && purpose === 'exit') continue;
      rows.push([
        `${model} (${purpose === 'entry' ? 'entry votes' : 'exit opinions'})`,
        fmt.int(usage.calls),
        (usage.calls / result.days).toFixed(1),
        fmt.int(usage.calls ? usage.inputTokens / usage.calls : 0),
        fmt.int(usage.calls ? usage.outputTokens / usage.calls : 0),
        fmt.usd(usage.costUsd),
        fmt.usd(monthly(usage.costUsd, result.days)),
      ]);
    }
  }
  const total = totalOf(result);
  rows.push(['**all**', fmt.int(total.calls), (total.calls / result.days).toFixed(1), fmt.int(total.calls ? total.inputTokens / total.calls : 0), fmt.int(total.calls ? total.outputTokens / total.calls : 0), fmt.usd(total.costUsd), `**${fmt.usd(monthly(total.costUsd, result.days))}**`]);
  return table(['model (purpose)', 'calls', 'calls/day', 'input tokens/call', 'output tokens/call', `cost (${result.days.toFixed(0)} days)`, 'per month'], rows);
}

/** Entry calls scale with the symbols scanned; exit opinions with the time a position is open, which they do not change. */
function scaledToDefaultSymbols(result: ScenarioResult): number {
  const entry = sum(MODELS.map((model) => result.usage[model]?.entry ?? emptyUsage())).costUsd;
  const exit = sum(MODELS.map((model) => result.usage[model]?.exit ?? emptyUsage())).costUsd;
  return monthly(entry * (DEFAULT_SYMBOL_COUNT / result.symbols) + exit, result.days);
}

export async function runAiCost(ctx: BenchContext): Promise<BenchOutcome> {
  const days = ctx.mode === 'quick' ? 3 : 30;
  const providers = await StubProviders.start();
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of SCENARIOS) {
      ctx.progress(`${days}-day replay with the AI analysts: ${scenario.label}`);
      const result = await runScenario(providers, scenario, days);
      ctx.progress(`${fmt.int(totalOf(result).calls)} provider calls, ${fmt.usd(totalOf(result).costUsd)}, ${result.trades} trades (${fmt.s(result.wallMs)})`);
      results.push(result);
    }
  } finally {
    await providers.close();
  }
  const [defaults, off] = results as [ScenarioResult, ScenarioResult];
  const month = (result: ScenarioResult) => monthly(totalOf(result).costUsd, result.days);
  const consistent = results.every((result) => MODELS.every((model) => recordedCalls(result, model) === result.serverCalls[model]));
  const checks: Check[] = [
    { what: `AI cost at the defaults ≤ $${TARGET_USD}/month (${defaults.symbols} symbols)`, measured: `${fmt.usd(month(defaults))}/month`, passed: month(defaults) <= TARGET_USD, gate: false },
    { what: 'cascade + vote cache make fewer provider calls than full mode without cache', measured: `${fmt.int(totalOf(defaults).calls)} vs ${fmt.int(totalOf(off).calls)}`, passed: totalOf(defaults).calls < totalOf(off).calls, gate: true },
    { what: 'calls recorded in the decisions = requests the provider servers received', measured: consistent ? 'equal' : 'differ', passed: consistent, gate: true },
    { what: 'recorded costs = tokens × the default price table', measured: `largest gap ${defaults.priceMismatchUsd.toExponential(1)} USD`, passed: results.every((r) => r.priceMismatchUsd < 1e-9), gate: true },
  ];
  if (ctx.mode === 'quick') {
    const summary = results.map((r) => `${r.scenario.label}: ${fmt.int(totalOf(r).calls)} calls in ${r.days.toFixed(0)} days, ${fmt.usd(month(r))}/month`);
    return { id: 'cost', title: 'AI cost', markdown: summary.join('\n'), summary, checks };
  }
  const markdown = costMarkdown(defaults, off, month);
  const summary = [
    `defaults (cascade + cache): ${fmt.usd(month(defaults))}/month for ${defaults.symbols} symbols (≈ ${fmt.usd(scaledToDefaultSymbols(defaults))} for ${DEFAULT_SYMBOL_COUNT}); full mode without cache: ${fmt.usd(month(off))}/month`,
  ];
  return { id: 'cost', title: 'AI cost', markdown, summary, checks };
}

function costMarkdown(defaults: ScenarioResult, off: ScenarioResult, month: (result: ScenarioResult) => number): string {
  const costOf = (result: ScenarioResult, model: string, purpose: 'entry' | 'exit') => result.usage[model]?.[purpose]?.costUsd ?? 0;
  const total = totalOf(defaults).costUsd;
  const shares = MODELS.flatMap((model) => (['entry', 'exit'] as const).map((purpose) => ({ what: `${model} ${purpose === 'entry' ? 'entry votes' : 'exit opinions'}`, usd: costOf(defaults, model, purpose) })))
    .filter((part) => part.usd > 0)
    .sort((a, b) => b.usd - a.usd);
  const biggest = shares[0];
  // The same exit questions priced at DeepSeek's list price: what moving them to the cheap model would change.
  const exits = sum(MODELS.map((model) => defaults.usage[model]?.exit ?? emptyUsage()));
  const exitsAtDeepSeek = callCostUsd(priceFor(DEEPSEEK_MODEL, DEFAULT_PRICES, new QuietLogger()), exits.inputTokens, exits.outputTokens);
  const priceRatio = (side: 'input' | 'output'): string => {
    const perMillion = (model: string) => {
      const price = priceFor(model, DEFAULT_PRICES, new QuietLogger());
      return side === 'input' ? price.inputPerMillion : price.outputPerMillion;
    };
    const ratios = [DEEPSEEK_MODEL, GROK_MODEL].map((model) => perMillion(CLAUDE_MODEL) / perMillion(model));
    return `${Math.min(...ratios).toFixed(0)}-${Math.max(...ratios).toFixed(0)}x`;
  };
  const verdict = month(defaults) <= TARGET_USD
    ? `within the $${TARGET_USD} target`
    : `**above the $${TARGET_USD} target by ${fmt.usd(month(defaults) - TARGET_USD)} (${fmt.ratio(month(defaults) / TARGET_USD)})**`;
  return [
    `A ${defaults.days.toFixed(0)}-day replay (${FROM.toISOString().slice(0, 10)} onwards) of the bundled history (${defaults.symbols} symbols, the whole engine on simulated time, paper exchange, in-memory store) with Claude, DeepSeek and Grok asked through their real SDKs at their default models, against local servers that answer like a trend follower from the prompt and report token counts of about one token per 3.5 characters of request and answer. Calls, tokens and cost are read from the decisions the engine recorded; cost is priced by the analysts with the default price table (\`src/adapters/analyst/ai/pricing.ts\`), checked against tokens × that table, and the call counts against the requests the servers received. Per month = per day × 365/12.`,
    '',
    `**At the defaults** (\`AI_MODE=cascade\`: technical pre-filter, DeepSeek screens, Claude and Grok only when it proposes a trade; answers cached per closed 15m candle; while a position is open Claude's exit opinion is consulted every 5 minutes and asked anew only once a 15m candle has closed), ${defaults.trades} trades:`,
    '',
    breakdown(defaults),
    '',
    `**Full mode, vote cache off** (every model on every symbol at every 5-minute scan), ${off.trades} trades:`,
    '',
    breakdown(off),
    '',
    `**Reading.** At the defaults the projected bill is ${fmt.usd(month(defaults))} a month for ${defaults.symbols} symbols, ${verdict}. ${biggest ? `The largest item is ${biggest.what} (${fmt.pct(biggest.usd / total)} of the cost)` : 'Nothing was spent'}: Claude's list price per token is ${priceRatio('input')} that of DeepSeek and Grok for input and ${priceRatio('output')} for output, so what Claude is asked decides the bill, while DeepSeek's screening is cheap however often it runs. The cascade and the cache together cut the calls from ${fmt.int(totalOf(off).calls)} to ${fmt.int(totalOf(defaults).calls)} and the monthly cost from ${fmt.usd(month(off))} to ${fmt.usd(month(defaults))} (${fmt.ratio(month(off) / Math.max(month(defaults), 1e-9))} less). The default symbol list has ${DEFAULT_SYMBOL_COUNT} symbols, not ${defaults.symbols}: scaling the entry votes by ${DEFAULT_SYMBOL_COUNT}/${defaults.symbols} and keeping the exit opinions (they follow open positions, not symbols) gives roughly ${fmt.usd(scaledToDefaultSymbols(defaults))} a month, an estimate rather than a measurement. Exit opinions are consulted every 5 minutes while a position is open and paid for at most once per closed 15m candle (${(exits.calls / defaults.days).toFixed(0)} calls a day here; without the cache, every 5 minutes), so their cost follows how long positions stay open, not the symbols scanned; priced at DeepSeek's list price the same ${fmt.int(exits.calls)} exit questions would cost ${fmt.usd(monthly(exitsAtDeepSeek, defaults.days))} a month instead of ${fmt.usd(monthly(exits.costUsd, defaults.days))} (a repricing of the measured tokens, not a run). The stub answers are deterministic and never time out (${defaults.failedCalls} failed calls); real models will differ in how often they propose trades, which drives how often Claude and Grok are asked in cascade mode.`,
  ].join('\n');
}

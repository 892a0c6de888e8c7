// The backtest report as one self-contained HTML file: the comparison table, trade statistics, the bootstrap
// interval, the monthly returns, and the plots as inline SVG. No script, no stylesheet or font fetched: it opens
// offline and can be mailed as it is.
import type { CandleList } from '../domain/market.js';
import { renderReportCharts } from './backtest-charts.js';
import { type BacktestReport, fundingText, openText, tradeCount } from './backtest-report.js';
import { tooFewToResample } from './backtest-performance.js';
import { RULES_HEADING, ruleEntries } from './backtest-rules.js';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const usd = (amount: number | undefined): string =>
  amount === undefined ? 'n/a' : `${amount < 0 ? '-' : ''}$${Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (fraction: number | undefined): string => (fraction === undefined ? 'n/a' : `${(fraction * 100).toFixed(2)}%`);
const signed = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)}%`;
const ratio = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(2));
const tone = (value: number): string => (value > 0 ? 'up' : value < 0 ? 'down' : '');

function comparisonTable(report: BacktestReport): string {
  const rows = report.performance.curves
    .map(
      ({ name, kind, figures: f }) =>
        `<tr class="${kind}"><th>${escape(name)}</th><td class="${tone(f.totalReturn)}">${signed(f.totalReturn)}</td><td>${pct(f.maxDrawdown)}</td><td>${ratio(f.sharpe)}</td><td>${ratio(f.sortino)}</td><td>${ratio(f.calmar)}</td></tr>`,
    )
    .join('\n');
  return `<table data-testid="comparison"><thead><tr><th></th><th>return</th><th>max drawdown</th><th>Sharpe</th><th>Sortino</th><th>Calmar</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function monthlyTable(report: BacktestReport): string {
  const curves = report.performance.curves;
  const months = curves[0]?.monthly ?? [];
  if (months.length === 0) return '<p>No whole or partial month in the window.</p>';
  const head = `<tr><th>month</th>${curves.map((curve) => `<th>${escape(curve.name)}</th>`).join('')}</tr>`;
  const body = months
    .map((month, i) => {
      const cells = curves.map((curve) => {
        const value = curve.monthly[i]?.return ?? 0;
        return `<td class="${tone(value)}">${signed(value)}</td>`;
      });
      return `<tr><th>${month.month}${month.partial ? '*' : ''}</th>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table data-testid="monthly"><thead>${head}</thead><tbody>${body}</tbody></table><p class="note">* part of a month: the window starts or ends inside it.</p>`;
}

/** What the replay could know and when; a market's data lines after the first carry no label of their own. */
function rulesList(report: BacktestReport): string {
  const entries = ruleEntries(report.rules).map(([label, text]) => `<dt>${escape(label)}</dt><dd>${escape(text)}</dd>`);
  return `<p>${escape(RULES_HEADING.replace(/^Replay rules: /, ''))}.</p>\n<dl data-testid="replay-rules">${entries.join('')}</dl>`;
}

function tradeFacts(report: BacktestReport): string {
  const t = report.performance.trades;
  const facts: [string, string][] = [
    ['trades', tradeCount(t)],
    ['win rate', pct(t.winRate)],
    ['profit factor', t.profitFactor === undefined ? 'n/a (no losing trade)' : t.profitFactor.toFixed(2)],
    ['average win', usd(t.averageWin)],
    ['average loss', usd(t.averageLoss)],
    ['exposure', `${pct(t.exposure)} of the time with a position open`],
    ['fees paid', usd(t.feesPaid)],
    ['funding', fundingText(t.fundingPaid)],
    ['AI spend', usd(report.summary.aiCostUsd)],
    ['final balance', usd(report.finalBalance)],
    ...(report.openPositions.length > 0 ? [['final equity', `${usd(report.finalEquity)} at the last mark, with ${openText(report)}`] as [string, string]] : []),
  ];
  return `<dl data-testid="trade-facts">${facts.map(([term, value]) => `<dt>${term}</dt><dd>${escape(value)}</dd>`).join('')}</dl>`;
}

function bootstrapSection(report: BacktestReport): string {
  const b = report.performance.bootstrap;
  if (!b) return `<p data-testid="bootstrap">${escape(tooFewToResample(report.performance.trades.trades))}</p>`;
  const level = `${Math.round(b.confidence * 100)}%`;
  return `<p data-testid="bootstrap">The trades' outcomes drawn again with replacement ${b.samples} times (seed ${b.seed}), each draw booked at the
original closing times. ${level} of the draws fall within:</p>
<table><thead><tr><th></th><th>realised</th><th>low</th><th>median</th><th>high</th></tr></thead><tbody>
<tr><th>return</th><td>${signed(b.observed.totalReturn)}</td><td>${signed(b.totalReturn.low)}</td><td>${signed(b.totalReturn.median)}</td><td>${signed(b.totalReturn.high)}</td></tr>
<tr><th>Sharpe</th><td>${ratio(b.observed.sharpe)}</td><td>${ratio(b.sharpe.low)}</td><td>${ratio(b.sharpe.median)}</td><td>${ratio(b.sharpe.high)}</td></tr>
</tbody></table>
<p class="note">Realised: the closed trades only, at their closing days. An interval that spans zero means the window cannot tell this strategy from luck.</p>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#202124}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #dadce0}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .75rem;text-align:right;border-bottom:1px solid #f1f3f4}
th:first-child{text-align:left}tr.strategy{font-weight:bold;background:#e8f0fe}.up{color:#1e7e34}.down{color:#c5221f}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{color:#5f6368}dd{margin:0}
.note{color:#5f6368;font-size:.9rem}.warning{color:#c5221f;font-weight:bold}figure{margin:1rem 0}svg{max-width:100%;height:auto}`;

export interface HtmlReportInput {
  readonly report: BacktestReport;
  readonly prices: ReadonlyMap<string, CandleList>;
}

export async function renderHtmlReport({ report, prices }: HtmlReportInput): Promise<string> {
  const from = new Date(report.generatedFrom.start);
  const to = new Date(report.generatedFrom.end);
  const charts = await renderReportCharts(report.performance.curves, prices, report.trades, from, to);
  const window = `${report.generatedFrom.start.slice(0, 16)} to ${report.generatedFrom.end.slice(0, 16)} UTC`;
  const warnings = report.contamination?.warnings ?? [];
  const figure = (id: string, svg: string | undefined, none: string): string =>
    svg ? `<figure data-testid="${id}">${svg}</figure>` : `<p data-testid="${id}">${none}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backtest ${escape(window)}</title><style>${STYLE}</style></head>
<body>
<h1>Backtest ${escape(window)}</h1>
${warnings.map((warning) => `<p class="warning">WARNING: ${escape(warning)}</p>`).join('\n')}
<p>${report.generatedFrom.symbols.map(escape).join(', ')}; starting capital ${usd(report.summary.startCapital)}.</p>
<h2>Against the benchmarks</h2>
${comparisonTable(report)}
${report.performance.notes.map((note) => `<p class="note">${escape(note)}</p>`).join('\n')}
${figure('equity-chart', charts.equity, '')}
<h2>Trades</h2>
${tradeFacts(report)}
${figure('trades-chart', charts.tradesOnPrice, 'No trades in the window.')}
${figure('pnl-chart', charts.pnlDistribution, 'No trades in the window.')}
<h2>How much could be luck</h2>
${bootstrapSection(report)}
<h2>Monthly returns</h2>
${monthlyTable(report)}
<h2>Replay rules</h2>
${rulesList(report)}
</body></html>
`;
}

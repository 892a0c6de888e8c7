// /shadows: the paper variants against the main account. A variant is called better only when the significance test
// says so at one of its checkpoints; otherwise the reply says there is not enough evidence, whatever its P&L.
import type { AccountStanding, ShadowBoard, ShadowStanding } from '../../../ports/control.js';
import { checkpointList } from '../../../domain/performance/variant-comparison.js';
import { escapeHtml } from './html.js';
import { formatPct, formatSignedPct, formatSignedUsd, formatUtcDay, plural } from './format.js';
import { lines } from './render-options.js';

const VERDICT_LINES: Record<ShadowStanding['comparison']['verdict'], string> = {
  better: '✅ better than the main account',
  worse: '🔻 worse than the main account',
  'not enough evidence': '⚖️ not enough evidence yet',
};

function figures(account: AccountStanding): string {
  return (
    `${formatSignedUsd(account.netPnl)} (${formatSignedPct(account.returnPct)}) · max drawdown ${formatPct(account.maxDrawdownPct)} · ` +
    `${plural(account.trades, 'trade')}${account.trades > 0 ? `, ${formatPct(account.winRate, 0)} won` : ''}` +
    (account.openPositions > 0 ? ` · ${account.openPositions} open` : '')
  );
}

function changesLine(changes: Readonly<Record<string, string>>): string {
  const entries = Object.entries(changes);
  return entries.length === 0 ? 'same settings (other analysts or prompt)' : entries.map(([name, value]) => `${name}=${value}`).join(', ');
}

export function renderShadowsReply(board: ShadowBoard): string {
  if (!board.main || board.shadows.length === 0) {
    return 'No shadow strategies are running. SHADOW_STRATEGIES defines paper variants that trade beside this account (see the README).';
  }
  const rule = board.rule;
  return lines(
    '👥 <b>Shadow strategies</b> (paper, no real orders)',
    `<b>main</b> since ${formatUtcDay(board.main.since)}: ${figures(board.main)}`,
    ...board.shadows.flatMap((shadow) => [
      '',
      `<b>${escapeHtml(shadow.name)}</b> since ${formatUtcDay(shadow.since)}: ${figures(shadow)}`,
      `<i>${escapeHtml(changesLine(shadow.changes))}</i>`,
      shadow.problem && `⚠️ not trading: ${escapeHtml(shadow.problem)}`,
      // The main row above covers the earliest variant's time; a later variant is judged on its own.
      shadow.since.getTime() !== board.main?.since.getTime() && `main over the same time: ${figures(shadow.main)}`,
      `${VERDICT_LINES[shadow.comparison.verdict]}: ${escapeHtml(shadow.comparison.explanation)}`,
    ]),
    '',
    `Better means the variant's mean return per trade beat the main account's at a check (worse: fell short). Checks come ` +
      `at ${checkpointList(rule.checkpoints)} trades on each side, and a verdict stands until ` +
      `the next check, so a false "better" stays under ${formatPct(rule.errorRate, 0)} however often you look ` +
      `(seeded bootstrap over days of closing, ${rule.resamples} resamples).`,
  );
}

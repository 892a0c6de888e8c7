// /universe: the markets being scanned, and when the daemon picks them, why the busiest others are left out.
import type { UniverseView } from '../../../ports/control.js';
import { bold, escapeHtml } from './html.js';
import { displaySymbol, formatUtcTime } from './format.js';
import { lines } from './render-options.js';

/** Left-out markets listed by name; the rest are counted, so the reply stays far inside Telegram's 4,096 characters. */
const LEFT_OUT_SHOWN = 15;

export function renderUniverseReply(view: UniverseView): string {
  if (view.mode === 'static') {
    return lines('🌐 <b>Universe</b> · the configured SYMBOLS', escapeHtml(view.symbols.map(displaySymbol).join(', ')));
  }
  const problem = view.problem === undefined ? [] : [`⚠️ ${escapeHtml(view.problem)}`];
  if (view.selectedAt === undefined) {
    return lines('🌐 <b>Universe</b> · top by 24h volume, not picked yet', ...problem, `Scanning SYMBOLS meanwhile: ${escapeHtml(view.symbols.map(displaySymbol).join(', '))}`);
  }
  const chosen = view.verdicts.filter((verdict) => verdict.included);
  const leftOut = view.verdicts.filter((verdict) => !verdict.included);
  const more = leftOut.length - LEFT_OUT_SHOWN;
  return lines(
    `🌐 <b>Universe</b> · top ${chosen.length} by 24h volume, picked ${formatUtcTime(view.selectedAt)}`,
    ...problem,
    ...chosen.map((verdict) => `✅ ${bold(displaySymbol(verdict.symbol))}: ${escapeHtml(verdict.reason)}`),
    ...(leftOut.length === 0 ? [] : ['', '<b>Left out</b> (busiest first)']),
    ...leftOut.slice(0, LEFT_OUT_SHOWN).map((verdict) => `· ${escapeHtml(displaySymbol(verdict.symbol))}: ${escapeHtml(verdict.reason)}`),
    ...(more > 0 ? [`… and ${more} more`] : []),
  );
}

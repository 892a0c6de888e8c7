// The shadow strategies' leaderboard: each paper variant against the main account over the same time, and whether
// the difference is real. "Better" appears only when the significance test says so.
import type { ShadowBoard } from '../api.js';
import { pct, plainPct, signedUsd, time, tone } from '../format.js';
import { useApi } from '../hooks.js';

type Standing = NonNullable<ShadowBoard['main']>;
type Shadow = ShadowBoard['shadows'][number];

/** "20, 40 and 80". */
const checkpointList = (counts: readonly number[]): string => (counts.length < 2 ? counts.join('') : `${counts.slice(0, -1).join(', ')} and ${counts.at(-1)}`);

const VERDICT: Record<Shadow['comparison']['verdict'], { label: string; className: string }> = {
  better: { label: 'better', className: 'gain' },
  worse: { label: 'worse', className: 'loss' },
  'not enough evidence': { label: 'not enough evidence', className: 'muted' },
};

function Figures({ account }: { account: Standing }) {
  return (
    <>
      <td>{time(account.since)}</td>
      <td class={tone(account.netPnl)}>{signedUsd(account.netPnl)}</td>
      <td class={tone(account.returnPct)}>{pct(account.returnPct, 2)}</td>
      <td>{plainPct(account.maxDrawdownPct, 2)}</td>
      <td>{account.trades}</td>
      <td>{account.trades > 0 ? plainPct(account.winRate, 0) : '—'}</td>
      <td>{account.openPositions}</td>
    </>
  );
}

function changes(shadow: Shadow): string {
  const entries = Object.entries(shadow.changes);
  return entries.length === 0 ? 'same settings (other analysts or prompt)' : entries.map(([name, value]) => `${name}=${value}`).join(', ');
}

export function Shadows() {
  const board = useApi<ShadowBoard>('/api/shadows');
  const data = board.data;
  return (
    <div>
      {board.error && <p class="error">{board.error}</p>}
      <section class="panel">
        <h2>Shadow strategies</h2>
        {data && (!data.main || data.shadows.length === 0) ? (
          <p class="muted" data-testid="no-shadows">
            No shadow strategies are running. SHADOW_STRATEGIES defines paper variants that trade beside this account on the same scans (see the README).
          </p>
        ) : (
          <table data-testid="shadows">
            <thead>
              <tr>
                <th>account</th>
                <th>since</th>
                <th>net P&amp;L</th>
                <th>return</th>
                <th>max drawdown</th>
                <th>trades</th>
                <th>won</th>
                <th>open</th>
                <th>against the main account</th>
              </tr>
            </thead>
            <tbody>
              {data?.main && (
                <tr key="main">
                  <td>
                    <strong>main</strong>
                  </td>
                  <Figures account={data.main} />
                  <td class="muted">—</td>
                </tr>
              )}
              {data?.shadows.map((shadow) => (
                <tr key={shadow.name} data-shadow={shadow.name}>
                  <td>
                    <strong>{shadow.name}</strong>
                    <div class="muted">{changes(shadow)}</div>
                    {shadow.problem && (
                      <div class="loss" data-testid="shadow-problem">
                        not trading: {shadow.problem}
                      </div>
                    )}
                  </td>
                  <Figures account={shadow} />
                  <td>
                    <span class={VERDICT[shadow.comparison.verdict].className} data-testid="verdict">
                      {VERDICT[shadow.comparison.verdict].label}
                    </span>
                    <div class="muted">{shadow.comparison.explanation}</div>
                    {data.main && shadow.since !== data.main.since && (
                      <div class="muted" data-testid="main-same-time">
                        main over the same time: {signedUsd(shadow.main.netPnl)} ({pct(shadow.main.returnPct, 2)}), {shadow.main.trades} trades
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data && (
          <p class="muted">
            Shadows trade in paper only: no real orders, no messages. A variant is called better when its mean return per trade beat the main
            account's at a check (worse: fell short), otherwise: not enough evidence. Checks come at {checkpointList(data.rule.checkpoints)} trades
            on each side, and a verdict stands until the next check, so a false "better" stays under {Math.round(data.rule.errorRate * 100)}% however
            often you look (seeded bootstrap over days of closing, {data.rule.resamples}{' '}
            resamples).
          </p>
        )}
      </section>
    </div>
  );
}

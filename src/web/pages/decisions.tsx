// "Why did it trade?": every scan's markets, each model's vote with its confidence and reasoning, the answers that
// were refused and why, cost and latency, and what the risk manager said.
import { useState } from 'preact/hooks';
import type { Scan } from '../api.js';
import { plainPct, time, usd } from '../format.js';
import { useApi } from '../hooks.js';

function ScanView({ scan }: { scan: Scan }) {
  return (
    <section class="panel" data-testid="scan">
      <header>
        <h3>
          {time(scan.startedAt)} <span class="muted">{scan.purpose === 'entry' ? 'entry scan' : 'exit check'}</span>
        </h3>
        <span class="muted">cost {usd(scan.costUsd, 4)}</span>
      </header>
      {scan.opened.length > 0 && (
        <p class="gain">
          Traded: {scan.opened.map((o) => `${o.symbol} ${o.side} (position ${o.positionId})`).join(', ')}
        </p>
      )}
      {scan.rejections.map((rejection, i) => (
        <p key={i} class="loss">
          Risk manager refused {rejection.symbol} {rejection.side} (score {rejection.opportunityScore.toFixed(0)}): {rejection.reasons.join('; ')}
        </p>
      ))}
      <table>
        <thead>
          <tr>
            <th>market</th>
            <th>model</th>
            <th>answer</th>
            <th>confidence</th>
            <th>reasoning / refusal</th>
            <th>cost</th>
            <th>latency</th>
          </tr>
        </thead>
        <tbody>
          {scan.markets.flatMap((market) =>
            market.votes.map((vote, i) => (
              <tr key={`${market.symbol}-${i}`} class={vote.outcome === 'valid' ? '' : 'refused'}>
                <td>{i === 0 ? market.symbol : ''}</td>
                <td>
                  {vote.analyst} <small class="muted">{vote.model}</small>
                </td>
                <td>{vote.outcome === 'valid' ? vote.action : <span class="loss">{vote.outcome}</span>}</td>
                <td>{vote.outcome === 'valid' ? plainPct(vote.confidence, 0) : '—'}</td>
                <td>{vote.outcome === 'valid' ? vote.reasoning : vote.reason}</td>
                <td>{usd(vote.costUsd, 4)}</td>
                <td>{vote.cached ? 'cached' : `${Math.round(vote.latencyMs)} ms`}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

export function Decisions() {
  const [cursor, setCursor] = useState<string[]>([]);
  const [symbol, setSymbol] = useState('');
  const before = cursor[cursor.length - 1];
  const page = useApi<{ scans: Scan[]; nextBefore?: string }>('/api/scans', { before, symbol, limit: 10 });
  return (
    <div>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <input placeholder="symbol" value={symbol} onChange={(e) => (setCursor([]), setSymbol((e.target as HTMLInputElement).value))} />
      </form>
      {page.error && <p class="error">{page.error}</p>}
      {page.data?.scans.length === 0 && <p class="muted">No answers recorded yet.</p>}
      {page.data?.scans.map((scan) => <ScanView key={scan.startedAt + scan.purpose} scan={scan} />)}
      <div class="pager">
        <button disabled={cursor.length === 0} onClick={() => setCursor(cursor.slice(0, -1))}>
          newer
        </button>
        <button disabled={!page.data?.nextBefore} onClick={() => page.data?.nextBefore && setCursor([...cursor, page.data.nextBefore])}>
          older
        </button>
      </div>
    </div>
  );
}

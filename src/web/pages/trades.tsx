// Closed trades: filters, pages, CSV, and for each trade its fills, fees, funding, the reason it closed, the votes
// behind it and its price chart with entry, stop, target and exit.
import { useState } from 'preact/hooks';
import type { Candle, Order, Trade, Vote } from '../api.js';
import { TradeChart } from '../components/charts.js';
import { LoadProblem } from '../components/load-problem.js';
import { funding, pct, plainPct, price, signedUsd, time, tone, usd } from '../format.js';
import { useApi } from '../hooks.js';

const PAGE = 25;

interface Filters {
  symbol: string;
  side: string;
  result: string;
  from: string;
  to: string;
}

function TradeDetail({ id }: { id: string }) {
  const detail = useApi<{ trade: Trade; takeProfitPrice?: number; orders: Order[]; votes: Vote[] }>(`/api/trades/${id}`);
  const chart = useApi<{ timeframe?: string; candles: Candle[]; note?: string }>(`/api/trades/${id}/candles`);
  const t = detail.data?.trade;
  if (!t) return detail.error ? <LoadProblem loaded={detail} what="trade" /> : <p class="muted">loading…</p>;
  const target = detail.data?.takeProfitPrice;
  return (
    <div class="detail" data-testid="trade-detail">
      {chart.data && chart.data.candles.length > 0 ? (
        <TradeChart
          candles={chart.data.candles}
          levels={{ entry: t.entryPrice, stop: t.stopPrice, exit: t.exitPrice, liquidation: t.liquidationPrice, openedAt: t.openedAt, closedAt: t.closedAt, side: t.side, ...(target ? { target } : {}) }}
        />
      ) : (
        <p class="muted">{chart.data?.note ?? chart.error ?? 'loading the chart…'}</p>
      )}
      <div class="columns">
        <div>
          <h4>Fills</h4>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>time</th>
                  <th>side</th>
                  <th>qty</th>
                  <th>price</th>
                  <th>fee</th>
                </tr>
              </thead>
              <tbody>
                {t.fills.map((fill) => (
                  <tr key={fill.id}>
                    <td>{time(fill.time)}</td>
                    <td>{fill.side}</td>
                    <td>{fill.quantity}</td>
                    <td>{price(fill.price)}</td>
                    <td>{usd(fill.fee, 4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="muted">
            gross {signedUsd(t.grossPnl)} − fees {usd(t.entryFee + t.exitFee, 4)} {t.funding >= 0 ? '+' : '−'} funding {usd(Math.abs(t.funding), 4)} = net{' '}
            <strong class={tone(t.netPnl)}>{signedUsd(t.netPnl)}</strong>
          </p>
        </div>
        <div>
          <h4>Why it traded</h4>
          {detail.data?.votes.length === 0 && <p class="muted">No entry votes on record for this trade.</p>}
          <ul class="votes">
            {detail.data?.votes.map((vote, i) => (
              <li key={i}>
                <strong>{vote.analyst}</strong> {vote.outcome === 'valid' ? vote.action : vote.outcome} {plainPct(vote.confidence, 0)} — {vote.reasoning || vote.reason}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

export function Trades() {
  const [filters, setFilters] = useState<Filters>({ symbol: '', side: '', result: '', from: '', to: '' });
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<string>();
  const query = { ...filters, offset, limit: PAGE };
  const page = useApi<{ total: number; trades: Trade[] }>('/api/trades', query);
  const set = (name: keyof Filters) => (event: Event) => {
    setOffset(0);
    setFilters({ ...filters, [name]: (event.target as HTMLInputElement).value });
  };
  const csv = `/api/trades.csv?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''))}`;
  const total = page.data?.total ?? 0;
  return (
    <div>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <input aria-label="market" placeholder="symbol, e.g. BTC/USDT:USDT" value={filters.symbol} onChange={set('symbol')} />
        <select aria-label="side" value={filters.side} onChange={set('side')}>
          <option value="">both sides</option>
          <option value="long">long</option>
          <option value="short">short</option>
        </select>
        <select aria-label="result" value={filters.result} onChange={set('result')}>
          <option value="">wins and losses</option>
          <option value="win">wins</option>
          <option value="loss">losses</option>
        </select>
        <label>
          from <input type="date" aria-label="closed from" value={filters.from} onChange={set('from')} />
        </label>
        <label>
          to <input type="date" aria-label="closed until" value={filters.to} onChange={set('to')} />
        </label>
        <a class="button" href={csv} download="trades.csv">
          CSV
        </a>
      </form>
      <LoadProblem loaded={page} what="trades" />
      <div class="table-scroll">
        <table class="trades" data-testid="trades">
          <thead>
            <tr>
              <th>closed</th>
              <th>market</th>
              <th>side</th>
              <th>entry → exit</th>
              <th>fees paid</th>
              <th>funding</th>
              <th>net</th>
              <th>reason</th>
            </tr>
          </thead>
          <tbody>
            {page.data?.trades.map((t) => [
              <tr key={t.positionId}>
                <td>
                  <button
                    class="row-toggle"
                    aria-expanded={open === t.positionId}
                    aria-controls={open === t.positionId ? `trade-${t.positionId}` : undefined}
                    onClick={() => setOpen(open === t.positionId ? undefined : t.positionId)}
                    data-testid="trade-toggle"
                  >
                    {time(t.closedAt)}
                  </button>
                </td>
                <td>
                  {t.symbol} <small class="muted">{t.leverage}x</small>
                </td>
                <td>
                  <span class={`badge ${t.side}`}>{t.side}</span>
                </td>
                <td>
                  {price(t.entryPrice)} → {price(t.exitPrice)}
                </td>
                <td>{usd(t.entryFee + t.exitFee, 4)}</td>
                <td data-testid="trade-funding">{funding(t.funding, 4)}</td>
                <td class={tone(t.netPnl)}>
                  {signedUsd(t.netPnl)} <small>{pct(t.pnlPct)}</small>
                </td>
                <td>{t.reason.replace(/_/g, ' ')}</td>
              </tr>,
              open === t.positionId && (
                <tr key={`${t.positionId}-detail`} id={`trade-${t.positionId}`}>
                  <td colSpan={8}>
                    <TradeDetail id={t.positionId} />
                  </td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      </div>
      {total === 0 && !page.loading && <p class="muted">No closed trades match.</p>}
      <div class="pager">
        <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          newer
        </button>
        <span>
          {total === 0 ? 0 : offset + 1}–{Math.min(total, offset + PAGE)} of {total}
        </span>
        <button disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          older
        </button>
      </div>
    </div>
  );
}

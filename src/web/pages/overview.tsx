// The first page: how the account stands, what is open and how far each position is from liquidation, what the
// last scan saw, and the owner's controls.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, post, type OpenPosition, type Scan, type Status } from '../api.js';
import { EquityChart, type EquityPoint } from '../components/charts.js';
import { LoadProblem } from '../components/load-problem.js';
import { LiquidationMeter } from '../components/liquidation-meter.js';
import { nextScan, plainPct, price, signedUsd, time, tone, usd, pct } from '../format.js';
import { useIsOwner, useLiveState } from '../context.js';
import { failureInWords, useApi } from '../hooks.js';

function Card({ label, children, testId }: { label: string; children: preact.ComponentChildren; testId?: string }) {
  return (
    <div class="card" data-testid={testId}>
      <div class="card-label">{label}</div>
      <div class="card-value">{children}</div>
    </div>
  );
}

function Controls({ status, onDone }: { status: Status; onDone: () => void }) {
  const [note, setNote] = useState<string>();
  const act = async (path: string) => {
    try {
      const done = await post<{ message: string }>(path);
      setNote(done.message);
    } catch (error) {
      setNote(error instanceof ApiFailure && error.status !== 401 ? `refused: ${error.message}` : failureInWords(error));
    }
    onDone();
  };
  const paused = status.breakers.some((breaker) => breaker.breaker === 'manual_pause');
  return (
    <div class="controls">
      {paused ? (
        <button class="primary" onClick={() => act('/api/control/resume')} data-testid="resume">
          Resume entries
        </button>
      ) : (
        <button class="warn" onClick={() => act('/api/control/pause')} data-testid="pause">
          Pause entries
        </button>
      )}
      {note && (
        <span class="note" data-testid="control-note">
          {note}
        </span>
      )}
    </div>
  );
}

/**
 * A proxy in front of the dashboard that gave up waiting (502-504) or a lost connection says nothing of the close,
 * which the daemon's loop goes on with: only the daemon's own answer is a refusal.
 */
const RELOAD_HINT = 'if it is still listed in a minute, reload the page to see why or to close it again';

function closeFailureInWords(error: unknown): string {
  if (error instanceof ApiFailure && error.status >= 502 && error.status <= 504) {
    return `no answer in time: the close may still be under way, and the position leaves this list once it is booked; ${RELOAD_HINT}`;
  }
  if (error instanceof TypeError) return `no answer: the close may still be under way (${failureInWords(error)}); ${RELOAD_HINT}`;
  return error instanceof ApiFailure && error.status !== 401 ? `refused: ${error.message}` : failureInWords(error);
}

function ClosePosition({ view, onDone }: { view: OpenPosition; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState<string>();
  /** A close that may still be under way: asking again would only queue a second one behind it. */
  const [underWay, setUnderWay] = useState(false);
  const close = async () => {
    setAsking(false);
    setNote('closing…');
    try {
      const answer = await post<{ message: string; pending?: boolean }>(`/api/positions/${encodeURIComponent(view.position.id)}/close`, { confirm: true });
      setNote(answer.pending === true ? `${answer.message}; ${RELOAD_HINT}` : answer.message);
      setUnderWay(answer.pending === true);
    } catch (error) {
      setNote(closeFailureInWords(error));
      setUnderWay(!(error instanceof ApiFailure) || (error.status >= 502 && error.status <= 504));
    }
    onDone();
  };
  return (
    <div class="close-position">
      {underWay ? null : asking ? (
        <span class="confirm" data-testid="close-confirm">
          Close {view.position.symbol} {view.position.side} at market?{' '}
          <button class="danger" onClick={close} data-testid="close-yes">
            Yes, close it
          </button>{' '}
          <button onClick={() => setAsking(false)}>Cancel</button>
        </span>
      ) : (
        <button class="danger" onClick={() => setAsking(true)} data-testid="close-position">
          Close…
        </button>
      )}
      {note && <span class="note">{note}</span>}
    </div>
  );
}

/**
 * `stale`: the stream is down, or the daemon could not read the positions, so the price and P&L shown are the last
 * ones heard, not the market's now.
 */
function PositionCard({ view, owner, stale, onDone }: { view: OpenPosition; owner: boolean; stale: boolean; onDone: () => void }) {
  const p = view.position;
  return (
    <section class={`panel position${stale ? ' stale' : ''}`} data-testid="position" data-symbol={p.symbol} data-stale={stale ? 'true' : undefined}>
      <header>
        <h3>
          {p.symbol} <span class={`badge ${p.side}`}>{p.side}</span> <span class="muted">{p.leverage}x · {p.status}</span>
        </h3>
        <div class={`pnl ${tone(view.unrealizedPnl)}`} data-testid="position-pnl">
          {signedUsd(view.unrealizedPnl)} <small>{pct(view.unrealizedPct)}</small>
        </div>
      </header>
      {stale && (
        <p class="stale-note" data-testid="position-stale">
          Not live: the last figures heard before the connection was lost or the positions could not be read.
        </p>
      )}
      <p class="muted">
        {p.quantity} at {price(p.entryPrice)} · margin {usd(p.margin)} · opened {time(p.openedAt)} · agreeing {p.rationale.agreeing.join(', ')} (
        {plainPct(p.rationale.confidence, 0)})
      </p>
      <LiquidationMeter view={view} />
      {view.orders.length > 0 && (
        <div class="table-scroll">
          <table class="orders" data-testid="orders">
            <thead>
              <tr>
                <th>order</th>
                <th>type</th>
                <th>qty</th>
                <th>trigger / fill</th>
                <th>status</th>
              </tr>
            </thead>
            <tbody>
              {view.orders.map((order) => (
                <tr key={order.clientOrderId}>
                  <td>{order.purpose}</td>
                  <td>
                    {order.side} {order.type}
                  </td>
                  <td>{order.quantity}</td>
                  <td>{price(order.triggerPrice ?? order.averagePrice)}</td>
                  <td>{order.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {owner && p.status === 'open' && <ClosePosition view={view} onDone={onDone} />}
    </section>
  );
}

function Ranking({ scan }: { scan: Scan | undefined }) {
  if (!scan) return <p class="muted">No scan recorded yet.</p>;
  return (
    <div class="table-scroll">
      <table data-testid="ranking">
        <thead>
          <tr>
            <th>#</th>
            <th>market</th>
            <th>leaning</th>
            <th>agreeing</th>
            <th>confidence</th>
            <th>votes</th>
          </tr>
        </thead>
        <tbody>
          {scan.markets.map((market, i) => (
            <tr key={market.symbol}>
              <td>{i + 1}</td>
              <td>{market.symbol}</td>
              <td>{market.leaning}</td>
              <td>{market.agreeing}</td>
              <td>{plainPct(market.meanConfidence, 0)}</td>
              <td class="muted">{market.votes.map((vote) => `${vote.analyst}: ${vote.outcome === 'valid' ? vote.action : vote.outcome}`).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Spend {
  today: number;
  monthToDate: number;
  projectedMonth: number;
}
type Costs = Spend & {
  shadows: (Spend & { name: string })[];
  /** AI_MONTHLY_BUDGET_USD; absent without a cap. */
  budget?: { limitUsd: number; spentUsd: number; reached: boolean; resumesAt: string };
};

/** The monthly cap under the month's spend, as /cost words it. */
function AiBudgetLine({ budget }: { budget: NonNullable<Costs['budget']> }) {
  return budget.reached ? (
    <div class="loss" data-testid="ai-budget">
      budget {usd(budget.limitUsd)} reached: no AI calls until {budget.resumesAt.slice(0, 16).replace('T', ' ')} UTC
    </div>
  ) : (
    <div class="muted" data-testid="ai-budget">
      budget {usd(budget.limitUsd)}: {usd(Math.max(budget.limitUsd - budget.spentUsd, 0))} left
    </div>
  );
}

/** AI calls cost fractions of a cent: a small spend shown as $0.00 would read as none (as /cost in Telegram). */
const spend = (value: number): string => (value > 0 && value < 0.01 ? `$${value.toFixed(4)}` : usd(value));

/** The shadow strategies' extra AI calls beside the account's: they are billed to the same keys. */
function AiSpend({ costs }: { costs: Costs }) {
  const sum = (key: keyof Spend): number => costs[key] + costs.shadows.reduce((total, shadow) => total + shadow[key], 0);
  const row = (name: string, figures: Spend, attributes: Record<string, string> = {}) => (
    <tr {...attributes}>
      <td>{name}</td>
      <td>{spend(figures.today)}</td>
      <td>{spend(figures.monthToDate)}</td>
      <td>{spend(figures.projectedMonth)}</td>
    </tr>
  );
  return (
    <section class="panel">
      <h2>AI spend</h2>
      <div class="table-scroll">
        <table data-testid="ai-spend">
          <thead>
            <tr>
              <th>account</th>
              <th>today</th>
              <th>this month</th>
              <th>projected month</th>
            </tr>
          </thead>
          <tbody>
            {row('this account', costs)}
            {costs.shadows.map((shadow) => row(`shadow ${shadow.name}`, shadow, { key: shadow.name, 'data-shadow-spend': shadow.name }))}
            {row('all together', { today: sum('today'), monthToDate: sum('monthToDate'), projectedMonth: sum('projectedMonth') }, { 'data-testid': 'ai-spend-total' })}
          </tbody>
        </table>
      </div>
      <p class="muted">A shadow's extra calls only: an answer this account uses too is this account's cost, whichever of them asked first.</p>
    </section>
  );
}

export function Overview() {
  const live = useLiveState();
  const owner = useIsOwner();
  const status = useApi<Status>('/api/status');
  const equity = useApi<{ points: EquityPoint[] }>('/api/equity');
  const initial = useApi<{ positions: OpenPosition[] }>('/api/positions');
  const scans = useApi<{ scans: Scan[] }>('/api/scans', { limit: 1, purpose: 'entry' });
  const costs = useApi<Costs>('/api/costs');
  const refresh = () => {
    status.reload();
    initial.reload();
  };
  useEffect(() => {
    if (live.messages > 0) {
      status.reload();
      equity.reload();
      scans.reload();
      costs.reload();
    }
  }, [live.messages]);
  // The stream sends the positions when their price or P&L changed: the status (and its equity) is read again then.
  useEffect(() => {
    if (live.positions) status.reload();
  }, [live.positions]);
  const s = status.data;
  const positions = live.positions ?? initial.data?.positions ?? [];
  const points = [...(equity.data?.points ?? [])];
  // Today's point on the daily points' footing (the account's balance, not the trading capital, which is capped at
  // INITIAL_CAPITAL when live): the status's equity, balance and open P&L from one read, so a position the daemon
  // has just closed is never counted in the balance and again as open P&L.
  if (s?.equity !== undefined) points.push({ time: s.now, equity: s.equity, mode: s.mode });
  return (
    <div>
      <LoadProblem loaded={status} what="status" />
      {s && (
        <div class="cards">
          <Card label="mode" testId="mode">
            <span class={`badge mode-${s.mode}`}>{s.mode}</span>
          </Card>
          <Card label="capital">{usd(s.capital)}</Card>
          <Card label="today's P&L" testId="pnl-today">
            <span class={tone(s.pnl.today)}>{signedUsd(s.pnl.today)}</span>
          </Card>
          <Card label="capital in use">
            {usd(s.capitalUsed.margin)} <small>{plainPct(s.capitalUsed.fraction)}</small>
          </Card>
          <Card label="breakers" testId="breakers">
            {s.breakers.length === 0 ? <span class="gain">none: entries allowed</span> : s.breakers.map((b) => <div key={b.breaker} class="loss">{b.breaker.replace('_', ' ')}</div>)}
          </Card>
          <Card label="next scan">{nextScan(s)}</Card>
          <Card label="AI this month">
            {usd(costs.data?.monthToDate)} <small>→ {usd(costs.data?.projectedMonth)}</small>
            {costs.data?.budget && <AiBudgetLine budget={costs.data.budget} />}
          </Card>
        </div>
      )}
      {s && owner && <Controls status={s} onDone={refresh} />}
      {costs.data && costs.data.shadows.length > 0 && <AiSpend costs={costs.data} />}
      <section class="panel">
        <h2>Equity</h2>
        <LoadProblem loaded={equity} what="equity" />
        {points.length > 0 ? <EquityChart points={points} /> : !equity.error && <p class="muted">No equity recorded yet.</p>}
        <p class="legend">
          <span class="swatch live" /> live <span class="swatch paper" /> paper
        </p>
      </section>
      <h2>
        Open positions{' '}
        <span class={`live-state ${live.connected ? 'on' : 'off'}`} data-testid="live-state">
          <span class="dot" /> {live.connected ? 'live' : 'not live'}
        </span>
      </h2>
      <LoadProblem loaded={initial} what="positions" />
      {positions.length === 0 ? (
        <p class="muted" data-testid="no-positions">
          Flat: no open position.
        </p>
      ) : (
        positions.map((view) => <PositionCard key={view.position.id} view={view} owner={owner} stale={!live.connected && live.lostAt !== undefined} onDone={refresh} />)
      )}
      <section class="panel">
        <h2>Last scan {scans.data?.scans[0] && <small class="muted">{time(scans.data.scans[0].startedAt)}</small>}</h2>
        <LoadProblem loaded={scans} what="last scan" />
        {(scans.data || !scans.error) && <Ranking scan={scans.data?.scans[0]} />}
      </section>
    </div>
  );
}

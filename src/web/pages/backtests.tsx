// Backtests from the page: run one on the bundled history or a folder of Binance kline CSVs, watch it, and read
// past reports as equity, drawdown and per-trade plots.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, post } from '../api.js';
import { WeeklyChart } from '../components/charts.js';
import { useIsOwner } from '../context.js';
import { plainPct, signedUsd, tone } from '../format.js';
import { useApi } from '../hooks.js';
import { reportCurves, type PlottedReport } from './backtest-curves.js';
import { lostRun } from './backtest-poll.js';
import { ReportFiles } from './report-files.js';

interface Job {
  id: string;
  status: 'running' | 'done' | 'failed';
  progress: number;
  error?: string;
}

interface SavedReport {
  id: string;
  createdAt: string;
  trades: number;
  netPnl: number;
  winRate?: number;
  maxDrawdownPct: number;
  window: { start: string; end: string; symbols: string[] };
}

interface FullReport extends PlottedReport {
  summary: { trades: number; netPnl: number; maxDrawdownPct: number; winRate?: number; profitFactor?: number; fees: number };
}

function ReportView({ id }: { id: string }) {
  const report = useApi<FullReport>(`/api/backtests/${id}/report`);
  if (report.error) return <p class="error">{report.error}</p>;
  if (!report.data) return <p class="muted">loading…</p>;
  const { summary } = report.data;
  const plots = reportCurves(report.data);
  return (
    <div data-testid="backtest-report">
      <p>
        {summary.trades} trades · net <span class={tone(summary.netPnl)}>{signedUsd(summary.netPnl)}</span> · win rate {plainPct(summary.winRate)} · max drawdown{' '}
        {plainPct(summary.maxDrawdownPct)} · profit factor {summary.profitFactor?.toFixed(2) ?? '—'}
      </p>
      {report.data.trades.length === 0 ? (
        <p class="muted">No trade in this window.</p>
      ) : (
        <div class="columns">
          <section class="panel">
            <h3>Equity</h3>
            <WeeklyChart series={[{ name: 'equity', color: '#4aa3ff', points: plots.equity }]} />
          </section>
          <section class="panel">
            <h3>Drawdown (%)</h3>
            <WeeklyChart series={[{ name: 'drawdown', color: '#ef4444', points: plots.drawdown }]} />
          </section>
          <section class="panel">
            <h3>Net P&amp;L per trade</h3>
            <WeeklyChart series={[{ name: 'trade', color: '#f5a524', points: plots.pnl }]} kind="bars" />
          </section>
        </div>
      )}
    </div>
  );
}

export function Backtests() {
  const owner = useIsOwner();
  const list = useApi<{ running?: Job; reports: SavedReport[] }>('/api/backtests');
  const [data, setData] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [job, setJob] = useState<Job>();
  const [note, setNote] = useState<string>();
  const [open, setOpen] = useState<string>();
  const running = job?.status === 'running' ? job : list.data?.running;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      const next = await get<Job>(`/api/backtests/${running.id}`).catch((error: unknown) => {
        const lost = lostRun(error);
        return lost === undefined ? undefined : { ...running, status: 'failed' as const, error: lost };
      });
      if (!next) return;
      setJob(next);
      if (next.status !== 'running') {
        setNote(next.status === 'done' ? 'finished' : `failed: ${next.error ?? ''}`);
        if (next.status === 'done') setOpen(next.id);
        list.reload();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [running?.id]);

  const start = async (event: Event) => {
    event.preventDefault();
    setNote(undefined);
    try {
      setJob(await post<Job>('/api/backtests', { ...(data ? { data } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }));
    } catch (error) {
      setNote(error instanceof ApiFailure ? error.message : String(error));
    }
  };

  return (
    <div>
      {owner && (
        <form class="filters panel" onSubmit={start}>
          <input placeholder="data folder (empty: the bundled history)" value={data} onInput={(e) => setData((e.target as HTMLInputElement).value)} size={40} />
          <label>
            from <input type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            to <input type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
          </label>
          <button class="primary" type="submit" disabled={running !== undefined} data-testid="run-backtest">
            Run backtest
          </button>
          {note && <span class="note" data-testid="backtest-note">{note}</span>}
        </form>
      )}
      {running && (
        <div class="panel" data-testid="backtest-progress">
          running {running.id}: {Math.round(running.progress * 100)}%
          <div class="progress">
            <div style={{ width: `${Math.round(running.progress * 100)}%` }} />
          </div>
        </div>
      )}
      <table data-testid="backtest-reports">
        <thead>
          <tr>
            <th>report</th>
            <th>window</th>
            <th>trades</th>
            <th>net</th>
            <th>win rate</th>
            <th>max drawdown</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.reports.map((report) => [
            <tr key={report.id}>
              <td>
                <button
                  class="row-toggle"
                  aria-expanded={open === report.id}
                  onClick={() => setOpen(open === report.id ? undefined : report.id)}
                  data-testid="report-toggle"
                >
                  {report.id}
                </button>
              </td>
              <td>
                {report.window.start.slice(0, 10)} → {report.window.end.slice(0, 10)} <small class="muted">{report.window.symbols.length} markets</small>
              </td>
              <td>{report.trades}</td>
              <td class={tone(report.netPnl)}>{signedUsd(report.netPnl)}</td>
              <td>{plainPct(report.winRate)}</td>
              <td>{plainPct(report.maxDrawdownPct)}</td>
            </tr>,
            open === report.id && (
              <tr key={`${report.id}-view`}>
                <td colSpan={6}>
                  <ReportView id={report.id} />
                </td>
              </tr>
            ),
          ])}
        </tbody>
      </table>
      {list.data?.reports.length === 0 && <p class="muted">No report yet.</p>}
      <ReportFiles />
    </div>
  );
}

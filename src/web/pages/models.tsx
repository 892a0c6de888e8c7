// Each model's track record: how often price reached its target before its stop, week by week, what it cost,
// and how often it failed to answer or answered something unusable.
import type { ModelRecord, ModelWeek } from '../api.js';
import { WeeklyChart, type WeeklySeries } from '../components/charts.js';
import { plainPct, usd } from '../format.js';
import { useApi } from '../hooks.js';

const PALETTE = ['#4aa3ff', '#f5a524', '#22c55e', '#a78bfa', '#ef4444', '#14b8a6'];

function perModel(weeks: readonly ModelWeek[], pick: (week: ModelWeek) => number | undefined): WeeklySeries[] {
  const names = [...new Set(weeks.map((week) => week.analyst))];
  return names.map((name, i) => ({
    name,
    color: PALETTE[i % PALETTE.length] as string,
    points: weeks
      .filter((week) => week.analyst === name)
      .flatMap((week) => {
        const value = pick(week);
        return value === undefined ? [] : [{ time: week.weekStart, value }];
      }),
  }));
}

export function Models() {
  const models = useApi<{ records: ModelRecord[]; weeks: ModelWeek[] }>('/api/models');
  const weeks = models.data?.weeks ?? [];
  return (
    <div>
      {models.error && <p class="error">{models.error}</p>}
      <section class="panel">
        <h2>Track records</h2>
        <table data-testid="models">
          <thead>
            <tr>
              <th>model</th>
              <th>directional votes</th>
              <th>scored</th>
              <th>hit rate</th>
              <th>confidence right / wrong</th>
              <th>cost (26 weeks)</th>
              <th>no answer</th>
              <th>refused answers</th>
            </tr>
          </thead>
          <tbody>
            {models.data?.records.map((record) => (
              <tr key={record.analyst}>
                <td>{record.analyst}</td>
                <td>{record.votes}</td>
                <td>{record.scored}</td>
                <td>{plainPct(record.hitRate)}</td>
                <td>
                  {plainPct(record.avgConfidenceWhenRight, 0)} / {plainPct(record.avgConfidenceWhenWrong, 0)}
                </td>
                <td>{usd(record.costUsd, 4)}</td>
                <td class={record.failed > 0 ? 'loss' : ''}>{record.failed}</td>
                <td class={record.rejected > 0 ? 'loss' : ''}>{record.rejected}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="muted">A vote is scored once its horizon has passed: a hit when price reached its target before its stop.</p>
      </section>
      {weeks.length > 0 && (
        <div class="columns">
          <section class="panel">
            <h3>Hit rate per week</h3>
            {weeks.some((week) => week.scored > 0) ? (
              <WeeklyChart series={perModel(weeks, (week) => (week.scored > 0 ? week.hits / week.scored : undefined))} />
            ) : (
              <p class="muted">No vote scored yet: a vote is scored a day after it was cast.</p>
            )}
          </section>
          <section class="panel">
            <h3>Cost per week (USD)</h3>
            <WeeklyChart series={perModel(weeks, (week) => week.costUsd)} kind="bars" precision={4} />
          </section>
          <section class="panel">
            <h3>Outages: answers missing per week</h3>
            <WeeklyChart series={perModel(weeks, (week) => week.failed)} kind="bars" precision={0} />
          </section>
          <section class="panel">
            <h3>Mean latency per week (ms)</h3>
            <WeeklyChart series={perModel(weeks, (week) => week.meanLatencyMs)} precision={0} />
          </section>
        </div>
      )}
    </div>
  );
}

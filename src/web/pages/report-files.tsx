// The HTML backtest reports of the reports folder (REPORTS_DIR), each opened in a tab of its own: the daemon serves
// them sandboxed, as they were written, with their plots and benchmarks.
import { time } from '../format.js';
import { useApi } from '../hooks.js';

interface ReportFile {
  name: string;
  sizeBytes: number;
  modifiedAt: string;
}

const size = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(0)} kB`);

export function ReportFiles() {
  const files = useApi<{ reports: ReportFile[] }>('/api/reports');
  return (
    <section class="panel" data-testid="html-reports">
      <h3>HTML reports</h3>
      {files.error && <p class="error">{files.error}</p>}
      {files.data?.reports.length === 0 && <p class="muted">No HTML report in the reports folder yet (`npm run backtest` writes one).</p>}
      {files.data && files.data.reports.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>file</th>
              <th>written</th>
              <th>size</th>
            </tr>
          </thead>
          <tbody>
            {files.data.reports.map((file) => (
              <tr key={file.name}>
                <td>
                  <a href={`/api/reports/${encodeURIComponent(file.name)}`} target="_blank" rel="noopener noreferrer">
                    {file.name}
                  </a>
                </td>
                <td>{time(file.modifiedAt)}</td>
                <td>{size(file.sizeBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

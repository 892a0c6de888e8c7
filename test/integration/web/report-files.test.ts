// The HTML backtest reports of REPORTS_DIR over real HTTP: listed and served to a logged-in user, sandboxed, and
// nothing outside the folder reachable by any spelling of its name (encoded slashes, dots, backslashes, a symbolic
// link pointing out, a folder inside).
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { ReportFiles, reportRoutes } from '../../../src/adapters/web/index.js';
import { Client, OWNER, openTestStore, startApi, VIEWER, type ApiHarness } from './dashboard-harness.js';

const OUTSIDE_TEXT = 'outside-the-reports-folder-7f3a';
let store: SqlStore;
let api: ApiHarness;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'report-files-'));
  const reports = join(root, 'reports');
  await mkdir(join(reports, 'sub'), { recursive: true });
  await writeFile(join(reports, 'backtest.html'), '<!doctype html><title>plain</title><p>the plain run</p>');
  await writeFile(join(reports, 'blind-2025-09.html'), '<!doctype html><title>blind</title><p>the blind run</p>');
  await utimes(join(reports, 'backtest.html'), new Date('2025-10-01T00:00:00Z'), new Date('2025-10-01T00:00:00Z'));
  await writeFile(join(reports, 'btc run (2).html'), '<!doctype html><title>spaced</title><p>a name with spaces</p>');
  await utimes(join(reports, 'btc run (2).html'), new Date('2025-09-01T00:00:00Z'), new Date('2025-09-01T00:00:00Z'));
  await writeFile(join(reports, `${'long-name-'.repeat(20)}report.html`), '<!doctype html><p>a long name</p>');
  await utimes(join(reports, `${'long-name-'.repeat(20)}report.html`), new Date('2025-08-01T00:00:00Z'), new Date('2025-08-01T00:00:00Z'));
  await writeFile(join(reports, 'notes.txt'), 'not a report');
  await writeFile(join(reports, '.hidden.html'), 'hidden');
  await writeFile(join(reports, 'sub', 'inner.html'), 'inside a folder');
  await writeFile(join(root, 'secret.html'), OUTSIDE_TEXT);
  await symlink(join(root, 'secret.html'), join(reports, 'link.html'));
  store = await openTestStore();
  api = await startApi(store, { extraRoutes: reportRoutes(new ReportFiles(reports)) });
});

afterAll(async () => {
  await api?.close();
  await store?.close();
  await rm(root, { recursive: true, force: true });
});

async function viewer(): Promise<Client> {
  const client = new Client(api.origin);
  expect((await client.login(VIEWER)).status).toBe(200);
  return client;
}

describe('HTML reports on the dashboard', () => {
  it('when the folder holds reports and other files, then only the .html files directly in it are listed, newest first', async () => {
    const response = await (await viewer()).get('/api/reports');
    expect(response.status).toBe(200);
    const { reports } = (await response.json()) as { reports: { name: string; sizeBytes: number; modifiedAt: string }[] };
    expect(reports.map((report) => report.name)).toEqual(['blind-2025-09.html', 'backtest.html', 'btc run (2).html', `${'long-name-'.repeat(20)}report.html`]);
    expect(reports[1]).toMatchObject({ modifiedAt: '2025-10-01T00:00:00.000Z', sizeBytes: 55 });
  });

  it('when a viewer opens a report, then it comes as HTML in a sandbox that runs no script and fetches nothing', async () => {
    const response = await (await viewer()).get('/api/reports/backtest.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/^sandbox;/);
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('script-src');
    expect(await response.text()).toContain('the plain run');
    // Any name `--html` was given, spaces and brackets included, as the page links it.
    const spaced = await (await viewer()).get(`/api/reports/${encodeURIComponent('btc run (2).html')}`);
    expect(spaced.status).toBe(200);
    expect(await spaced.text()).toContain('a name with spaces');
    const long = await (await viewer()).get(`/api/reports/${'long-name-'.repeat(20)}report.html`);
    expect(long.status).toBe(200);
  });

  it('when nobody is logged in, then neither the list nor a report is shown', async () => {
    const anonymous = new Client(api.origin);
    expect((await anonymous.get('/api/reports')).status).toBe(401);
    expect((await anonymous.get('/api/reports/backtest.html')).status).toBe(401);
  });

  it('when a name reaches outside the folder or into a folder inside it, then the answer is 404 and shows nothing of the file', async () => {
    const client = await viewer();
    const attempts = [
      '..%2Fsecret.html',
      '%2E%2E%2Fsecret.html',
      '..%5Csecret.html',
      '%2Ftmp%2Fsecret.html',
      'link.html',
      'sub%2Finner.html',
      '.hidden.html',
      'notes.txt',
      'missing.html',
      'backtest.html%00.txt',
      '%E0.html',
    ];
    for (const name of attempts) {
      const response = await client.get(`/api/reports/${name}`);
      const body = await response.text();
      expect(response.status, name).toBe(404);
      expect(body, name).not.toContain(OUTSIDE_TEXT);
      expect(body, name).not.toContain('inside a folder');
    }
    // The owner sees no more than a viewer.
    const owner = new Client(api.origin);
    expect((await owner.login(OWNER)).status).toBe(200);
    expect((await owner.get('/api/reports/..%2Fsecret.html')).status).toBe(404);
  });
});

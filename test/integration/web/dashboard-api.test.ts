// The dashboard's API over real HTTP: who may do what, CSRF, the login rate limit, the schemas its answers follow,
// trades paged and exported, and no secret in any answer.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { list, OpenPosition, Status, Trade } from '../../../src/adapters/web/api/schemas.js';
import { newPosition, tradeFor } from '../store/contract-fixtures.js';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { DaemonStartingError, DaemonStoppedError } from '../../../src/domain/errors.js';
import { Client, OWNER, openTestStore, SECRET_KEY, startApi, VIEWER, type ApiHarness } from './dashboard-harness.js';

let store: SqlStore;
let api: ApiHarness;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

beforeEach(async () => {
  api = await startApi(store, { secretInSettings: true });
});

afterEach(async () => {
  await api.close();
});

async function ownerClient(): Promise<Client> {
  const client = new Client(api.origin);
  expect((await client.login(OWNER)).status).toBe(200);
  return client;
}

describe('logging in and sessions', () => {
  it('when nobody is logged in, then every data endpoint answers 401 and only the session, login and the document are open', async () => {
    const anonymous = new Client(api.origin);

    for (const path of ['/api/status', '/api/positions', '/api/trades', '/api/config', '/api/logs', '/api/events']) {
      expect((await anonymous.get(path)).status, path).toBe(401);
    }
    expect((await anonymous.get('/api/session')).status).toBe(200);
    expect((await anonymous.get('/api/openapi.json')).status).toBe(200);
    expect((await anonymous.post('/api/control/pause')).status).toBe(401);
    expect(api.control.actions).toEqual([]);
  });

  it('when the owner logs in, then the cookie is HttpOnly, SameSite=Strict and expires, and a wrong password is refused', async () => {
    const client = new Client(api.origin);

    const wrong = await client.login('not-the-password');
    const right = await client.login(OWNER);

    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ltd_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(((await right.json()) as { role: string }).role).toBe('owner');
  });

  it('when the session is older than its lifetime, then it no longer opens anything', async () => {
    const client = await ownerClient();
    expect((await client.get('/api/status')).status).toBe(200);

    api.clock.advanceBy(12 * 3_600_000 + 1);

    expect((await client.get('/api/status')).status).toBe(401);
  });

  it('when five wrong passwords came from one address, then the sixth login is refused with 429, the right password too', async () => {
    const client = new Client(api.origin);
    for (let n = 0; n < 5; n++) expect((await client.login(`wrong-${n}`)).status).toBe(401);

    const blocked = await client.login(OWNER);

    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('when the read-only password logs in between guesses at the owner\'s, then the address is not given fresh guesses', async () => {
    const client = new Client(api.origin);
    for (let n = 0; n < 4; n++) expect((await client.login(`wrong-${n}`)).status).toBe(401);
    expect((await new Client(api.origin).login(VIEWER)).status).toBe(200);
    expect((await client.login('wrong-4')).status).toBe(401);

    expect((await client.login('wrong-5')).status).toBe(429);
  });

  it('when twelve guesses are sent all at once from one address, then five are checked and seven refused with 429, and the right password after them too', async () => {
    const client = new Client(api.origin);
    const guesses = Array.from({ length: 12 }, (_, n) => client.login(`wrong-at-once-${n}`));

    const statuses = (await Promise.all(guesses)).map((response) => response.status).sort();

    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(7).fill(429)]);
    expect((await client.login(OWNER)).status).toBe(429);
  });

  it('when a reverse proxy on this machine forwards for two clients, then one client blocked by the limit does not block the other', async () => {
    const login = (client: string, password: string) =>
      fetch(`${api.origin}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.0.99, ${client}` },
        body: JSON.stringify({ password }),
      });
    for (let n = 0; n < 5; n++) expect((await login('203.0.113.7', `wrong-${n}`)).status).toBe(401);

    const blocked = await login('203.0.113.7', OWNER);
    const other = await login('198.51.100.4', OWNER);

    expect(blocked.status).toBe(429);
    expect(other.status).toBe(200);
  });
});

describe('commands', () => {
  it('when the owner posts with the CSRF token, then the command reaches OwnerControl in the name of web:owner', async () => {
    const client = await ownerClient();

    const paused = await client.post('/api/control/pause');
    const resumed = await client.post('/api/control/resume');

    expect(paused.status).toBe(200);
    expect(resumed.status).toBe(200);
    expect(api.control.actions).toEqual(['pause by web:owner', 'resume by web:owner']);
  });

  it('when a resume leaves the daily loss limit in force, then the answer says so instead of "resumed"', async () => {
    const client = await ownerClient();
    api.control.stillBlocking = [{ breaker: 'daily_loss', detail: 'daily loss limit reached (-$10.40 today)', until: new Date('2025-10-11T00:00:00Z') }];

    const resumed = await client.post('/api/control/resume');

    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({
      message: 'new entries still wait: daily loss limit reached (-$10.40 today)',
      stillBlocking: [{ breaker: 'daily_loss', until: '2025-10-11T00:00:00.000Z' }],
    });
  });

  it('when a POST has no CSRF token, a wrong one, or comes from another site, then it is refused and nothing is done', async () => {
    const client = await ownerClient();

    const missing = await client.post('/api/control/pause', {}, { csrf: false });
    const wrong = await client.post('/api/control/pause', {}, { csrf: 'x'.repeat(32) });
    const crossSite = await client.post('/api/control/pause', {}, { origin: 'https://evil.example' });

    expect([missing.status, wrong.status, crossSite.status]).toEqual([403, 403, 403]);
    expect(api.control.actions).toEqual([]);
  });

  it('when a close is not confirmed in the body, then it is refused; confirmed, it closes that position', async () => {
    const client = await ownerClient();
    const id = api.control.views[0]?.position.id ?? '';

    const unconfirmed = await client.post(`/api/positions/${id}/close`, {});
    const confirmed = await client.post(`/api/positions/${id}/close`, { confirm: true });
    const again = await client.post(`/api/positions/${id}/close`, { confirm: true });

    expect(unconfirmed.status).toBe(400);
    expect(confirmed.status).toBe(200);
    expect(again.status).toBe(404);
    expect(api.control.actions).toEqual([`close ${id} by web:owner`, `close ${id} by web:owner`]);
  });

  it('when the loop has not carried a close out within the answer time, then the page is told it is under way, not that it failed, and the close still happens', async () => {
    await api.close();
    api = await startApi(store, { commandAnswerWithinMs: 50 });
    const client = await ownerClient();
    const id = api.control.views[0]?.position.id ?? '';
    let carryOut!: () => void;
    const closing = new Promise<void>((resolve) => (carryOut = resolve));
    const close = api.control.closePosition.bind(api.control);
    api.control.closePosition = async (positionId, requestedBy) => {
      await closing;
      return close(positionId, requestedBy);
    };

    const response = await client.post(`/api/positions/${id}/close`, { confirm: true });
    carryOut();

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, pending: true, message: expect.stringMatching(/requested: the daemon carries it out .* once it is booked/) });
    await expect.poll(() => api.control.actions).toEqual([`close ${id} by web:owner`]);
  });

  it('when the loop has not carried a pause or a resume out within the answer time, then the page is told it is under way, not refused, and each still happens', async () => {
    await api.close();
    api = await startApi(store, { commandAnswerWithinMs: 50 });
    const client = await ownerClient();
    let carryOut!: () => void;
    const loopFree = new Promise<void>((resolve) => (carryOut = resolve));
    const pause = api.control.pauseEntries.bind(api.control);
    const resume = api.control.resumeEntries.bind(api.control);
    api.control.pauseEntries = async (requestedBy) => {
      await loopFree;
      return pause(requestedBy);
    };
    api.control.resumeEntries = async (requestedBy) => {
      await loopFree;
      return resume(requestedBy);
    };

    const paused = await client.post('/api/control/pause', {});
    const resumed = await client.post('/api/control/resume', {});
    carryOut();

    expect([paused.status, resumed.status]).toEqual([200, 200]);
    expect(await paused.json()).toMatchObject({ ok: true, pending: true, message: expect.stringMatching(/^pause requested: the daemon carries it out at its next step/) });
    expect(await resumed.json()).toMatchObject({ ok: true, pending: true, message: expect.stringMatching(/^resume requested/) });
    await expect.poll(() => [...api.control.actions].sort()).toEqual(['pause by web:owner', 'resume by web:owner']);
  });

  it('when a monthly AI budget is set, then /api/costs carries it with the month it resumes; without one, none', async () => {
    const client = await ownerClient();
    const plain = (await (await client.get('/api/costs')).json()) as Record<string, unknown>;
    api.control.aiSpend = { ...api.control.aiSpend, budget: { limitUsd: 5, spentUsd: 5.2, reached: true, resumesAt: new Date('2025-11-01T00:00:00Z') } };

    const capped = (await (await client.get('/api/costs')).json()) as Record<string, unknown>;

    expect(plain.budget).toBeUndefined();
    expect(capped.budget).toEqual({ limitUsd: 5, spentUsd: 5.2, reached: true, resumesAt: '2025-11-01T00:00:00.000Z' });
  });

  it('when the daemon is shutting down, then a command is answered 503 saying so, as on Telegram, not "internal error"', async () => {
    const client = await ownerClient();
    api.control.pauseEntries = async () => {
      throw new DaemonStoppedError();
    };

    const refused = await client.post('/api/control/pause');

    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: 'the daemon is shutting down; the command was not carried out' });
  });

  it('when the daemon has not finished starting, then the status and risk are answered 503 saying so, as on Telegram, not "internal error"', async () => {
    const client = await ownerClient();
    api.control.status = async () => {
      throw new DaemonStartingError();
    };

    for (const path of ['/api/status', '/api/risk']) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(503);
      expect(await answer.json(), path).toEqual({ error: 'the daemon is still starting; try again in a few seconds' });
    }
  });

  it('when the read-only user sends a command with its own CSRF token, then it is refused with 403', async () => {
    const viewer = new Client(api.origin);
    await viewer.login(VIEWER);

    const refused = await viewer.post('/api/control/pause');

    expect(refused.status).toBe(403);
    expect((await viewer.get('/api/status')).status).toBe(200);
    expect(api.control.actions).toEqual([]);
  });
});

describe('answers', () => {
  it('when the status is read, then it follows its schema: dates as ISO text, capital in use from the open margin', async () => {
    const client = await ownerClient();

    const status = z.decode(Status, (await (await client.get('/api/status')).json()) as z.input<typeof Status>);

    expect(status.mode).toBe('paper');
    expect(status.capitalUsed.margin).toBeGreaterThan(0);
    expect(status.pnl.tradesAllTime).toBeGreaterThanOrEqual(0);
  });

  it('when the status is read, then its equity is the balance plus the open P&L at the last price of that same read', async () => {
    const client = await ownerClient();
    // BTC long 0.064 from 62,345.10, last price 63,000: +41.9136 before fees.
    const read = async () => z.decode(Status, (await (await client.get('/api/status')).json()) as z.input<typeof Status>);
    const [held] = api.control.views;
    const open = await read();
    api.control.views = [];
    api.control.accountBalance = 1020.5;
    const flat = await read();
    api.control.views = held ? [{ position: held.position }] : [];
    const unpriced = await read();

    expect(open.equity).toBeCloseTo(1069.49 + 41.9136, 6);
    expect(flat.equity).toBe(1020.5);
    expect(unpriced.openPositions).toBe(1);
    expect(unpriced.equity).toBeUndefined();
  });

  it('when the day is up, then the daily loss left counts the wins as the breaker does; once tripped, nothing is left', async () => {
    const client = await ownerClient();
    const breakers = { day: '2025-10-10', dayStartCapital: 1000, dayStartCapitalAsOf: 0, realizedToday: 50, consecutiveLosses: 0, streakFrom: 0, streakLossesAt: [], dailyLossTripped: false, lossStreakPaused: false, manualPause: false };
    const budget = async (): Promise<unknown> => ((await (await client.get('/api/risk')).json()) as { budget: unknown }).budget;

    await store.state.put('breakers', breakers);
    const up = await budget();
    await store.state.put('breakers', { ...breakers, realizedToday: -70, dailyLossTripped: true });
    const tripped = await budget();

    expect(up).toMatchObject({ dailyLossLimitUsd: 100, dailyLossLeftUsd: 150 });
    expect(tripped).toMatchObject({ dailyLossLimitUsd: 100, dailyLossLeftUsd: 0 });
  });

  it('when live capital is capped below the account, then the status gives the account\'s balance too, the footing of the daily equity points', async () => {
    api.control.accountBalance = 10_000;
    const client = await ownerClient();

    const status = z.decode(Status, (await (await client.get('/api/status')).json()) as z.input<typeof Status>);

    expect([status.capital, status.accountBalance]).toEqual([1069.49, 10_000]);
  });

  it('when a position\'s stop was replaced, then the open positions answer names the stop that protects it now', async () => {
    const view = api.control.views[0];
    if (!view) throw new Error('the fake control has no open position');
    api.control.views = [{ ...view, position: { ...view.position, stopClientOrderId: 'ltd-7-stop.2' } }];
    const client = await ownerClient();

    const body = z.decode(z.object({ positions: list(OpenPosition) }), (await (await client.get('/api/positions')).json()) as never);

    expect(body.positions.map((open) => open.position.stopClientOrderId)).toEqual(['ltd-7-stop.2']);
    expect(await (await client.get('/api/openapi.json')).text()).toContain('"stopClientOrderId"');
  });

  it('when a filter names a date outside 1970-9999 (a year 0, or a year 10000 after its offset), then the answer is 400, not a store error', async () => {
    const client = await ownerClient();
    for (const path of ['/api/trades?from=9999-12-31T23:59:59-23:59', '/api/trades?to=0000-01-01', '/api/trades.csv?from=9999-12-31T23:59:59-23:59', '/api/logs?before=9999-12-31T23:59:59-23:59']) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(400);
      expect(await answer.text(), path).toContain('1970 to 9999');
    }
  });

  it('when a text filter holds a NUL or another control character, then the answer is 400 naming the filter, not a store error', async () => {
    const client = await ownerClient();
    const paths = [
      '/api/trades?symbol=BTC%00',
      '/api/trades?reason=stop%1b',
      '/api/trades.csv?symbol=%00',
      '/api/trades.csv?reason=take_profit%00',
      '/api/scans?symbol=ETH%0a',
      '/api/scans?analyst=claude%00',
    ];
    for (const path of paths) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(400);
      expect(await answer.text(), path).toMatch(/query\.(symbol|reason|analyst): must not contain control characters/);
    }
    expect((await client.get('/api/trades?symbol=BTC%2FUSDT%3AUSDT&reason=take_profit')).status).toBe(200);
    expect((await client.get('/api/scans?symbol=BTC%2FUSDT%3AUSDT&analyst=claude')).status).toBe(200);
  });

  it('when trades are asked for by page and filter, then the count, order and CSV agree with the store', async () => {
    const base = Date.UTC(2025, 9, 1);
    for (let n = 0; n < 7; n++) {
      const position = await api.store.positions.create(newPosition({ symbol: n % 2 === 0 ? 'BTC/USDT:USDT' : 'ETH/USDT:USDT' }));
      const win = n % 3 !== 0;
      const trade = tradeFor(position.id, base + n * 3_600_000, { symbol: position.symbol, netPnl: win ? 5 + n : -4 - n, reason: 'take_profit' });
      await api.store.trades.record(trade);
      await api.store.positions.update(position.id, { status: 'closed', closedAt: trade.closedAt, closeReason: 'take_profit' });
    }
    // Closed at exactly zero: neither a win nor a loss.
    const even = await api.store.positions.create(newPosition({ symbol: 'BTC/USDT:USDT' }));
    const evenTrade = tradeFor(even.id, base + 7 * 3_600_000, { symbol: even.symbol, netPnl: 0, reason: 'manual' });
    await api.store.trades.record(evenTrade);
    await api.store.positions.update(even.id, { status: 'closed', closedAt: evenTrade.closedAt, closeReason: 'manual' });
    const client = await ownerClient();

    const page = (await (await client.get('/api/trades?limit=3&offset=1')).json()) as { total: number; trades: unknown[] };
    const btcLosses = (await (await client.get('/api/trades?symbol=BTC/USDT:USDT&result=loss')).json()) as { total: number; trades: { netPnl: number }[] };
    const csv = await client.get('/api/trades.csv?result=win');

    const trades = z.decode(list(Trade), page.trades as z.input<ReturnType<typeof list<typeof Trade>>>);
    expect(page.total).toBe(8);
    expect(trades).toHaveLength(3);
    expect(trades.map((trade) => trade.closedAt.getTime())).toEqual([...trades.map((trade) => trade.closedAt.getTime())].sort((a, b) => b - a));
    expect(btcLosses.total).toBe(2);
    expect(btcLosses.trades.map((trade) => trade.netPnl)).toEqual([-10, -4]);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^position_id,symbol,side/);
    expect(lines).toHaveLength(1 + 4);
  });

  it('when the log holds a failed step with its stack trace, then the read-only login reads the error, not the stack', async () => {
    const stack = 'Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect (node:net:1611:16)\n    at /app/dist/adapters/store/pg-database.js:88:13';
    const err = { type: 'Error', message: 'connect ECONNREFUSED', stack };
    await api.store.logs.append([
      { time: new Date('2025-10-10T21:00:00Z'), level: 'error', module: 'engine', message: 'engine step failed', context: { step: 'monitor', error: 'connect ECONNREFUSED', stack } },
      { time: new Date('2025-10-10T21:01:00Z'), level: 'error', module: 'store', message: 'query failed', context: { err } },
    ]);
    const viewer = new Client(api.origin);
    expect((await viewer.login(VIEWER)).status).toBe(200);

    const body = (await (await viewer.get('/api/logs')).json()) as { entries: { message: string; context?: Record<string, unknown> }[] };

    expect(JSON.stringify(body)).not.toContain('pg-database.js');
    expect(body.entries.find((entry) => entry.message === 'engine step failed')?.context).toEqual({ step: 'monitor', error: 'connect ECONNREFUSED' });
    expect(body.entries.find((entry) => entry.message === 'query failed')?.context).toEqual({ err: { message: 'connect ECONNREFUSED' } });
  });

  it('when trades are asked for up to a bare date, then that whole day is included, in the page and the CSV', async () => {
    const noon = Date.UTC(2031, 2, 15, 12);
    const position = await api.store.positions.create(newPosition({ symbol: 'BTC/USDT:USDT' }));
    const trade = tradeFor(position.id, noon, { symbol: position.symbol, netPnl: -40, reason: 'stop_loss' });
    await api.store.trades.record(trade);
    await api.store.positions.update(position.id, { status: 'closed', closedAt: trade.closedAt, closeReason: 'stop_loss' });
    const client = await ownerClient();

    const oneDay = (await (await client.get('/api/trades?from=2031-03-15&to=2031-03-15')).json()) as { total: number };
    const month = (await (await client.get('/api/trades.csv?from=2031-03-01&to=2031-03-15')).text()).trim().split('\n');
    const beforeNoon = (await (await client.get('/api/trades?from=2031-03-15&to=2031-03-15T11:00:00Z')).json()) as { total: number };

    expect(oneDay.total).toBe(1);
    expect(month).toHaveLength(1 + 1);
    expect(beforeNoon.total).toBe(0);
    expect((await client.get('/api/trades?to=9999-12-31')).status).toBe(200);
  });

  it('when a setting carries a secret value by mistake, then the answer shows it redacted', async () => {
    const client = await ownerClient();

    const text = await (await client.get('/api/config')).text();

    expect(text).not.toContain(SECRET_KEY);
    expect(text).toContain('[redacted]');
    expect(JSON.parse(text).secrets).toEqual([{ name: 'BINANCE_SECRET_KEY', set: true }]);
  });

  it('when the OpenAPI document is read, then it lists every endpoint with its schemas, and every JSON read answers by it', async () => {
    const client = await ownerClient();
    const document = (await (await client.get('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>>;
    };

    expect(document.openapi).toBe('3.1.0');
    for (const path of ['/api/status', '/api/positions', '/api/trades', '/api/trades.csv', '/api/scans', '/api/models', '/api/equity', '/api/risk', '/api/logs', '/api/messages', '/api/events', '/api/control/pause', '/api/positions/{id}/close', '/api/login']) {
      expect(document.paths[path], path).toBeDefined();
    }
    const routes = api.dashboard.routes.filter((route) => route.method === 'GET' && 'json' in route.response && !route.path.includes('{'));
    for (const route of routes) {
      const response = await client.get(route.path);
      expect(response.status, route.path).toBe(200);
      const parsed = (route.response as { json: z.ZodType }).json.safeParse(await response.json());
      expect(parsed.success ? [] : parsed.error.issues, route.path).toEqual([]);
    }
  });

  it('when a page path is asked for without a built page, then it is 404 and /health still answers', async () => {
    const client = await ownerClient();

    expect((await client.get('/trades')).status).toBe(404);
    expect((await client.get('/health')).status).toBe(200);
    expect((await client.get('/api/nope')).status).toBe(404);
  });
});

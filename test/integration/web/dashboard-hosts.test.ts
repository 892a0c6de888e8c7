// The dashboard against DNS rebinding and cross-site requests, over real HTTP: only the names of this machine and the
// names the owner listed are answered, and a state change from another site is refused even without Origin. Also
// the login limit under guessing from many addresses, which must not lock the owner out.
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { Client, OWNER, openTestStore, startApi, type ApiHarness, type ApiOptions } from './dashboard-harness.js';

let store: SqlStore;
let api: ApiHarness | undefined;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function started(options: ApiOptions = {}): Promise<ApiHarness> {
  api = await startApi(store, options);
  return api;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** A request with the Host header a browser would send for a page at that name (fetch may not set Host). */
function ask(origin: string, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(new URL(path, origin), { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

const port = (harness: ApiHarness) => new URL(harness.origin).port;

describe('the names the dashboard answers to', () => {
  it('when a page on a rebound name asks, then the dashboard refuses with 421 and names the setting that would allow it', async () => {
    const harness = await started();

    const session = await ask(harness.origin, 'GET', '/api/session', { host: `attacker.example:${port(harness)}` });
    const login = await ask(harness.origin, 'POST', '/api/login', { host: `attacker.example:${port(harness)}`, 'content-type': 'application/json' }, JSON.stringify({ password: OWNER }));
    const page = await ask(harness.origin, 'GET', '/', { host: 'attacker.example' });

    expect(session.status).toBe(421);
    expect(JSON.parse(session.body)).toEqual({ error: expect.stringMatching(/"attacker\.example".*DASHBOARD_ALLOWED_HOSTS/) });
    expect(login.status).toBe(421);
    expect(page.status).toBe(421);
  });

  it.each(['localhost', '127.0.0.1', '[::1]', 'LOCALHOST.', '203.0.113.7', '[2001:db8::7]'])('when the owner reaches it as %s, with or without the port, then it answers: no rebound name is an address', async (name) => {
    const harness = await started();

    const withPort = await ask(harness.origin, 'GET', '/api/session', { host: `${name}:${port(harness)}` });
    const without = await ask(harness.origin, 'GET', '/api/session', { host: name });

    expect([withPort.status, without.status]).toEqual([200, 200]);
  });

  it('when the owner listed a domain name, then that name is answered and others still are not', async () => {
    const harness = await started({ allowedHosts: ['dash.example.com', 'other.example.org:8443'] });

    const listed = await ask(harness.origin, 'GET', '/api/session', { host: 'Dash.Example.com' });
    const withPort = await ask(harness.origin, 'GET', '/api/session', { host: 'other.example.org:8443' });
    const sibling = await ask(harness.origin, 'GET', '/api/session', { host: 'evil.example.com' });

    expect([listed.status, withPort.status, sibling.status]).toEqual([200, 200, 421]);
  });

  it('when a proxy passes a rebound name in X-Forwarded-Host, then the request is refused although Host is this machine', async () => {
    const harness = await started({ allowedHosts: ['dash.example.com'] });

    const rebound = await ask(harness.origin, 'GET', '/api/session', { host: `127.0.0.1:${port(harness)}`, 'x-forwarded-host': 'attacker.example' });
    const listed = await ask(harness.origin, 'GET', '/api/session', { host: `127.0.0.1:${port(harness)}`, 'x-forwarded-host': 'dash.example.com' });

    expect([rebound.status, listed.status]).toEqual([421, 200]);
  });

  it('when a Host header is malformed, then it is refused rather than read as some other name', async () => {
    const harness = await started();

    const answer = await ask(harness.origin, 'GET', '/api/session', { host: 'localhost@attacker.example' });

    expect(answer.status).toBe(421);
  });
});

describe('state changes from another site', () => {
  it('when a browser says a request comes from another site, then it is refused even without an Origin header and with the right CSRF token', async () => {
    const harness = await started();
    const client = new Client(harness.origin);
    expect((await client.login(OWNER)).status).toBe(200);

    const crossSite = await client.post('/api/control/pause', {}, { headers: { 'sec-fetch-site': 'cross-site' } });
    const sameSite = await client.post('/api/control/pause', {}, { headers: { 'sec-fetch-site': 'same-site' } });
    const own = await client.post('/api/control/pause', {}, { headers: { 'sec-fetch-site': 'same-origin' } });

    expect([crossSite.status, sameSite.status]).toEqual([403, 403]);
    expect(await crossSite.json()).toEqual({ error: 'cross-site request refused' });
    expect(own.status).toBe(200);
  });
});

describe('the login limit under guessing from many addresses', () => {
  const from = (harness: ApiHarness, client: string, password: string) =>
    fetch(`${harness.origin}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({ password }),
    });

  it('when guesses from many addresses have spent the shared ceiling, then the owner from an address that never failed still logs in', async () => {
    const harness = await started({ loginGuard: { perAddress: 5, overall: 6 } });
    for (const address of ['203.0.113.1', '203.0.113.2']) for (let n = 0; n < 3; n++) expect((await from(harness, address, `wrong-${n}`)).status).toBe(401);

    const owner = await from(harness, '198.51.100.4', OWNER);

    expect(owner.status).toBe(200);
  });

  it('when the shared ceiling is spent, then a new address gets two guesses, not five', async () => {
    const harness = await started({ loginGuard: { perAddress: 5, overall: 6 } });
    for (const address of ['203.0.113.1', '203.0.113.2']) for (let n = 0; n < 3; n++) await from(harness, address, `wrong-${n}`);

    const statuses = [];
    for (let n = 0; n < 3; n++) statuses.push((await from(harness, '203.0.113.3', `wrong-${n}`)).status);

    expect(statuses).toEqual([401, 401, 429]);
  });
});

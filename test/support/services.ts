// Where the integration tests find Postgres and Redis. Locally a missing URL skips those files; in CI
// (CI=true) it must not: the suite fails instead, so a broken service set-up cannot pass silently.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const inCi = process.env.CI === 'true';

export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function redisUrl(): string | undefined {
  return process.env.REDIS_URL || undefined;
}

/** For `describe.skipIf(...)`: skip only when the URL is missing and this is not CI. */
export function skipWithout(url: string | undefined): boolean {
  return url === undefined && !inCi;
}

/** The URL, or a failure that names the variable (reached only in CI, where a missing service is an error). */
export function required(url: string | undefined, variable: 'DATABASE_URL' | 'REDIS_URL'): string {
  if (url === undefined) throw new Error(`${variable} is not set; CI must run these tests against a real service`);
  return url;
}

/** A schema (or key prefix) name no other test file uses, so files can run in parallel on one server. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Runs `work` on a connection of its own, outside any store under test. */
export async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withAdminClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}

/** Polls a condition the test cannot be notified of (e.g. a server-side effect); fails after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// What loading the daemon's code pulls in, before any configuration is read: the packages only some configurations
// need (a store engine, Redis, Telegram, an AI provider, a terminal's log format) must wait until one asks for them,
// or every daemon holds their memory (BENCHMARKS.md, section 5). A fresh process imports the daemon's entry with a
// resolve hook that records each package the import graph reaches.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = new URL('../../../src/main.ts', import.meta.url).href;

/** Records the package of every resolved module under node_modules, one name a line, in the file it is given. */
const HOOK = `
import { appendFileSync } from 'node:fs';
let out;
export function initialize(file) { out = file; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const at = resolved.url.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const parts = resolved.url.slice(at + '/node_modules/'.length).split('/');
    appendFileSync(out, (parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0]) + '\\n');
  }
  return resolved;
}
`;

let dir: string;
let packages: Set<string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'module-graph-'));
  const hook = join(dir, 'hook.mjs');
  const out = join(dir, 'packages.txt');
  await writeFile(hook, HOOK);
  await writeFile(out, '');
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hook).href)}, { data: ${JSON.stringify(out)} });`;
  const child = spawn(process.execPath, ['--import', TSX, '--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', `await import(${JSON.stringify(MAIN)});`], {
    env: { PATH: process.env.PATH ?? '', HOME: dir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`importing the daemon's entry failed (exit ${code}): ${stderr}`);
  packages = new Set((await readFile(out, 'utf8')).split('\n').filter(Boolean));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the daemon's module graph", () => {
  it('holds the packages every daemon uses (so the hook sees the graph)', () => {
    for (const name of ['pino', 'zod', 'ccxt']) expect(packages, name).toContain(name);
  });

  it.each([
    ['pg', 'the Postgres driver, without DATABASE_URL'],
    ['@electric-sql/pglite', 'the embedded Postgres, with DATABASE_URL'],
    ['ioredis', 'the Redis client, without REDIS_URL'],
    ['telegraf', 'the Telegram client, without a bot token'],
    ['@anthropic-ai/sdk', "Anthropic's SDK, without a Claude key"],
    ['openai', "OpenAI's SDK, without a DeepSeek or Grok key"],
    ['pino-pretty', 'the readable log format, without a terminal'],
  ])('leaves %s out until a configuration needs it (%s)', (name) => {
    expect(packages).not.toContain(name);
  });
});

// Debian's Chromium driven by playwright-core: headless, no sandbox (root in CI), nothing fetched from the network
// by the browser itself, and a fresh profile per run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join('reports', 'screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every response the page received, with its body (streams left out), for the secrets check. */
  readonly bodies: { url: string; body: string }[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'ltd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const bodies: { url: string; body: string }[] = [];
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.stack ?? error.message}`));
  page.on('response', (response: Response) => {
    if ((response.headers()['content-type'] ?? '').includes('event-stream')) return;
    void response.text().then(
      (body) => bodies.push({ url: response.url(), body }),
      () => undefined,
    );
  });
  return {
    context,
    page,
    bodies,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
    },
  };
}

export async function logIn(page: Page, origin: string, password: string): Promise<void> {
  await page.goto(origin);
  await page.fill('[data-testid=password]', password);
  await page.click('[data-testid=login]');
  await page.waitForSelector('[data-testid=role]');
}

// The built page over real HTTP: its files by path, the page itself for the router's paths, and nothing outside the
// build folder, whatever the spelling; a path whose escapes are broken is answered like any unknown path, not with 500.
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticFiles } from '../../../src/adapters/web/static-files.js';

const OUTSIDE_TEXT = 'outside-the-build-3c9d';
let root: string;
let server: Server;
let origin: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'static-files-'));
  const build = join(root, 'build');
  await mkdir(join(build, 'assets'), { recursive: true });
  await writeFile(join(build, 'index.html'), '<!doctype html><title>page</title>');
  await writeFile(join(build, 'assets', 'app-1a2b.js'), 'console.log("app")');
  await writeFile(join(root, 'secret.txt'), OUTSIDE_TEXT);
  const files = new StaticFiles(build);
  server = createServer((request, response) => void files.serve(request, response, new URL(request.url ?? '/', 'http://x').pathname));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

describe('the built page', () => {
  it('when an asset is asked for, then it comes with its type and is cached for good', async () => {
    const response = await fetch(`${origin}/assets/app-1a2b.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('when a path outside the folder or with broken escapes is asked for, then nothing outside is shown and the answer is not an error', async () => {
    for (const path of ['/..%2Fsecret.txt', '/%2E%2E%2Fsecret.txt', '/assets/..%2F..%2Fsecret.txt', '/%E0', '/assets/%E0.js', '/%']) {
      const response = await fetch(`${origin}${path}`);
      const body = await response.text();
      expect(response.status, path).toBeLessThan(500);
      expect(body, path).not.toContain(OUTSIDE_TEXT);
    }
  });
});

// The built page (vite's output folder): files by path, gzipped once and kept in memory (the whole bundle is a
// few hundred kilobytes), and index.html for every other path so the page's own router can take it from there.
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeBody } from './http-reply.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface Loaded {
  readonly plain: Buffer;
  readonly gzipped?: Buffer;
  readonly type: string;
}

export class StaticFiles {
  private readonly cache = new Map<string, Promise<Loaded | undefined>>();

  constructor(readonly root: string) {}

  /** Whether a build is there to serve. */
  async available(): Promise<boolean> {
    return (await this.load('index.html')) !== undefined;
  }

  async serve(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const decoded = decodedPath(path);
    const relative = normalize(decoded ?? '').replace(/^[/\\]+/, '');
    const inside = decoded !== undefined && relative !== '' && !relative.split(sep).includes('..');
    const asset = inside ? await this.load(relative) : undefined;
    const file = asset ?? (extname(relative) === '' || relative === '' ? await this.load('index.html') : undefined);
    if (!file) {
      writeBody(response, 404, 'text/plain; charset=utf-8', 'not found');
      return;
    }
    // Vite names built assets by their content hash, so they never change; the page itself must always be fresh.
    const cache = asset && relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    const gzip = file.gzipped !== undefined && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const body = gzip && file.gzipped ? file.gzipped : file.plain;
    writeBody(response, 200, file.type, request.method === 'HEAD' ? '' : body, {
      'cache-control': cache,
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...(request.method === 'HEAD' ? { 'content-length': String(body.length) } : {}),
    });
  }

  private load(relative: string): Promise<Loaded | undefined> {
    let loading = this.cache.get(relative);
    if (!loading) {
      loading = this.read(relative);
      this.cache.set(relative, loading);
      // Only files that exist are remembered: any path may be asked for, and misses must not pile up.
      void loading.then((file) => file ?? this.cache.delete(relative));
    }
    return loading;
  }

  private async read(relative: string): Promise<Loaded | undefined> {
    const path = join(this.root, relative);
    try {
      if (!(await stat(path)).isFile()) return undefined;
      const plain = await readFile(path);
      const type = TYPES[extname(path)] ?? 'application/octet-stream';
      const compressible = /text|javascript|json|svg/.test(type) && plain.length > 512;
      return { plain, type, ...(compressible ? { gzipped: gzipSync(plain, { level: 9 }) } : {}) };
    } catch {
      return undefined;
    }
  }
}

/** A path whose escapes are broken (`%E0`) names no file; undefined rather than an error answered with 500. */
function decodedPath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

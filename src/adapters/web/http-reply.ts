// Writing answers of the dashboard: security headers on every one, and a last scrub of known secret values from
// every body, so a secret that slipped into a log line or an error message still never reaches a browser.
import type { ServerResponse } from 'node:http';

export const REDACTED = '[redacted]';
/** Shorter values would match ordinary text. */
const MIN_SECRET_LENGTH = 6;

export class SecretFilter {
  private readonly secrets: readonly string[];

  constructor(secrets: readonly string[]) {
    const kept = secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
    // Also as JSON writes it: the filter runs on serialised answers, where a quote or backslash in a secret is escaped.
    const escaped = kept.map((secret) => JSON.stringify(secret).slice(1, -1));
    this.secrets = [...new Set([...kept, ...escaped])].sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let result = value;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    return result;
  }
}

/** The page runs only its own scripts and talks only to its own server, and may not be framed. Inline styles are allowed: the chart library sets them as attributes, and a style cannot run code. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function writeBody(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

export function writeJson(response: ServerResponse, status: number, value: unknown, filter: SecretFilter, headers: Record<string, string> = {}): void {
  writeBody(response, status, 'application/json; charset=utf-8', filter.text(JSON.stringify(value)), { 'cache-control': 'no-store', ...headers });
}

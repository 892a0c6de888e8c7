// Talking to the daemon: JSON over fetch with the session cookie, the CSRF token on every POST, and the wire types
// read from the server's own zod schemas (type-only: nothing of zod ships to the browser).
import type { z } from 'zod';
import type * as S from '../adapters/web/api/schemas.js';

export type SessionInfo = z.input<typeof S.SessionInfo>;
export type Status = z.input<typeof S.Status>;
export type OpenPosition = z.input<typeof S.OpenPosition>;
export type Trade = z.input<typeof S.Trade>;
export type Order = z.input<typeof S.Order>;
export type Vote = z.input<typeof S.Vote>;
export type Scan = z.input<typeof S.Scan>;
export type ModelRecord = z.input<typeof S.ModelRecord>;
export type ModelWeek = z.input<typeof S.ModelWeek>;
export type ShadowBoard = z.input<typeof S.ShadowBoard>;
export type LogEntry = z.input<typeof S.LogEntry>;
export type Message = z.input<typeof S.Message>;
export type Candle = z.input<typeof S.Candle>;

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;

export function rememberSession(session: SessionInfo): void {
  csrfToken = session.csrfToken;
}

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: string; issues?: string[] };
  if (!response.ok) throw new ApiFailure(response.status, body.error ?? `HTTP ${response.status}`, body.issues ?? []);
  return body as T;
}

export async function get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const url = params.size > 0 ? `${path}?${params}` : path;
  return answer<T>(await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } }));
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

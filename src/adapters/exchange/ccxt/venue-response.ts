// What the venue actually answered when a ccxt call failed: HTTP status, Retry-After, and the venue's own
// `{ code, msg }`. ccxt folds these into a message string; keeping them structured makes classification exact.

export interface VenueResponse {
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** The venue's numeric error code, e.g. -2019. */
  readonly code?: number;
  readonly message?: string;
}

const responses = new WeakMap<object, VenueResponse>();

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After is either seconds or an HTTP date; only the seconds form is used by Binance. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/** Extracts the venue's error code and message from a JSON body, wherever it sits in `text`. */
export function parseVenueBody(text: string | undefined): { code?: number; message?: string } {
  if (!text) return {};
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return {};
  try {
    // Binance sends `{ code, msg }`, Bybit `{ retCode, retMsg }` (0 is success).
    const parsed = JSON.parse(text.slice(start, end + 1)) as { code?: unknown; msg?: unknown; retCode?: unknown; retMsg?: unknown };
    const raw = parsed.code ?? parsed.retCode;
    const code = Number(raw);
    const message = parsed.msg ?? parsed.retMsg;
    return {
      code: Number.isFinite(code) && raw !== undefined && !(parsed.code === undefined && code === 0) ? code : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
  } catch {
    return {};
  }
}

export function rememberResponse(
  error: unknown,
  status: number,
  headers: Record<string, unknown> | undefined,
  body: string | undefined,
): void {
  if (error === null || typeof error !== 'object' || responses.has(error)) return;
  const venue = parseVenueBody(body);
  responses.set(error, {
    status,
    retryAfterMs: parseRetryAfter(headerValue(headers, 'retry-after')),
    code: venue.code,
    message: venue.message,
  });
}

/**
 * The venue's answer kept with the domain error a failure was translated into: a caller that only sees the translated
 * error (a venue profile's own request) can still tell its code, e.g. a clock-drift refusal.
 */
export function keepResponse<T extends object>(translated: T, response: VenueResponse): T {
  if (!responses.has(translated)) responses.set(translated, response);
  return translated;
}

export function venueResponseOf(error: unknown): VenueResponse | undefined {
  return error !== null && typeof error === 'object' ? responses.get(error) : undefined;
}

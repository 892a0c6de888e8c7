// Data for the pages: one request with its loading and error state, and the live stream of the daemon.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, type OpenPosition, type SessionInfo } from './api.js';

export interface Loaded<T> {
  /** The last answer read: kept when a reload fails, so a page shows what it knew rather than nothing. */
  readonly data?: T;
  /** Why the last read failed, in plain words; cleared by the next read that succeeds. */
  readonly error?: string;
  /** The last read was refused because the login session has ended. */
  readonly sessionEnded?: boolean;
  readonly loading: boolean;
  reload(): void;
}

/**
 * fetch rejects with a bare TypeError ("Failed to fetch") when nothing answers: the daemon is down, or the phone is
 * offline. The owner should read what that means, not the browser's words.
 */
export function failureInWords(error: unknown): string {
  if (error instanceof ApiFailure) return error.status === 401 ? 'Your session has ended: log in again.' : error.message;
  if (error instanceof TypeError) return 'The daemon cannot be reached (it may be stopped, or this device is offline).';
  return String(error);
}

export function useApi<T>(path: string, query: Record<string, string | number | undefined> = {}): Loaded<T> {
  const key = `${path}?${JSON.stringify(query)}`;
  const [state, setState] = useState<{ data?: T; error?: string; sessionEnded?: boolean; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    get<T>(path, query).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) =>
        current &&
        setState((previous) => ({
          ...(previous.data === undefined ? {} : { data: previous.data }),
          error: failureInWords(error),
          sessionEnded: error instanceof ApiFailure && error.status === 401,
          loading: false,
        })),
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

export interface LiveState {
  readonly positions?: readonly OpenPosition[];
  /** Counts the daemon's messages since the page opened, so a page can refresh when it changes. */
  readonly messages: number;
  /** The stream is open and its last word was the positions as read: false too while the daemon cannot read them. */
  readonly connected: boolean;
  /** When the stream was last lost (or first failed); undefined while it has never failed or is connected again. */
  readonly lostAt?: Date;
  /** Why the figures stopped: the stream itself, or the daemon's read of the positions (the stream still open). */
  readonly lostBecause?: 'stream' | 'read';
  /** The stream was refused for want of a session: it will not come back until the owner logs in again. */
  readonly sessionEnded?: boolean;
}

/** How long after the browser gives the stream up (an HTTP error answer rather than no answer) it is tried again. */
const RETRY_AFTER_REFUSAL_MS = 5_000;

/** The daemon's event stream: open positions as they change, and a tick per message to the owner. */
export function useLive(): LiveState {
  const [state, setState] = useState<LiveState>({ messages: 0, connected: false });
  useEffect(() => {
    let events: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const lost = (because: 'stream' | 'read') => () =>
      setState((s) => ({ ...s, connected: false, lostAt: s.connected || !s.lostAt ? new Date() : s.lostAt, lostBecause: because }));
    // EventSource retries by itself while nothing answers, but gives up for good on an error status (a 401 once the
    // session has expired): ask whether the session still holds, and if it does, try again.
    const refused = () => {
      get<SessionInfo>('/api/session').then(
        (session) => {
          if (stopped) return;
          if (!session.authenticated) setState((s) => ({ ...s, sessionEnded: true }));
          else retry = setTimeout(connect, RETRY_AFTER_REFUSAL_MS);
        },
        () => {
          if (!stopped) retry = setTimeout(connect, RETRY_AFTER_REFUSAL_MS);
        },
      );
    };
    const connect = () => {
      const source = new EventSource('/api/events');
      events = source;
      source.addEventListener('open', () => setState((s) => ({ ...s, connected: true, lostAt: undefined, sessionEnded: false })));
      source.addEventListener('error', () => {
        lost('stream')();
        if (source.readyState === EventSource.CLOSED) refused();
      });
      source.addEventListener('positions', (event) => {
        const { positions } = JSON.parse((event as MessageEvent<string>).data) as { positions: OpenPosition[] };
        setState((s) => ({ ...s, positions, connected: true, lostAt: undefined }));
      });
      // The stream is open but the daemon could not read the positions: the figures shown are as old as when the
      // stream is lost, and the page says so the same way until positions come again.
      source.addEventListener('stale', lost('read'));
      source.addEventListener('message', () => setState((s) => ({ ...s, messages: s.messages + 1 })));
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      events?.close();
    };
  }, []);
  return state;
}

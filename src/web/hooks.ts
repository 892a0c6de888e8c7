// Data for the pages: one request with its loading and error state, and the live stream of the daemon.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, type OpenPosition } from './api.js';

export interface Loaded<T> {
  readonly data?: T;
  readonly error?: string;
  readonly loading: boolean;
  reload(): void;
}

export function useApi<T>(path: string, query: Record<string, string | number | undefined> = {}): Loaded<T> {
  const key = `${path}?${JSON.stringify(query)}`;
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    get<T>(path, query).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: error instanceof ApiFailure ? error.message : String(error), loading: false }),
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
  readonly connected: boolean;
}

/** The daemon's event stream: open positions as they change, and a tick per message to the owner. */
export function useLive(): LiveState {
  const [state, setState] = useState<LiveState>({ messages: 0, connected: false });
  useEffect(() => {
    const events = new EventSource('/api/events');
    events.addEventListener('open', () => setState((s) => ({ ...s, connected: true })));
    events.addEventListener('error', () => setState((s) => ({ ...s, connected: false })));
    events.addEventListener('positions', (event) => {
      const { positions } = JSON.parse((event as MessageEvent<string>).data) as { positions: OpenPosition[] };
      setState((s) => ({ ...s, positions }));
    });
    events.addEventListener('message', () => setState((s) => ({ ...s, messages: s.messages + 1 })));
    return () => events.close();
  }, []);
  return state;
}

// Maintenance as Binance runs it: every endpoint answers 503 for a while, and when it returns, signed requests are
// refused with -1021 until clients resynchronise their clocks. Also the receive-window check itself, opt-in because
// most tests jump the venue clock under a client that measured its time difference once.
import type { Params } from './public-routes.js';
import type { VenueError} from './venue-error.js';
import { venueErrors } from './venue-error.js';
import type { VenueState } from './venue-state.js';

/** Binance's default receive window when a request names none. */
const DEFAULT_RECV_WINDOW_MS = 5_000;
/** A timestamp may run this far ahead of the venue's clock. */
const AHEAD_ALLOWANCE_MS = 1_000;

/** The refusal an outage or the receive window gives this request, if any. */
export function outageRefusal(state: VenueState, path: string, signed: boolean, params: Params): VenueError | undefined {
  const now = state.now;
  if (now < state.maintenanceUntil) return venueErrors.maintenance();
  // The server time stays reachable, so a client can resynchronise.
  if (!signed || path === '/fapi/v1/time') return undefined;
  if (now < state.timestampsRefusedUntil) return venueErrors.outsideReceiveWindow();
  if (!state.enforceReceiveWindow) return undefined;
  const timestamp = Number(params['timestamp']);
  const window = Number(params['recvWindow'] ?? DEFAULT_RECV_WINDOW_MS);
  if (!Number.isFinite(timestamp)) return undefined;
  if (timestamp > now + AHEAD_ALLOWANCE_MS || now - timestamp > window) return venueErrors.outsideReceiveWindow();
  return undefined;
}


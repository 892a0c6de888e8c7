// The local Bybit stand-in: see README.md in this folder.
import { type LocalPerpVenue, type PerpVenueOptions, startPerpVenue } from '../perp-venue/perp-venue.js';
import { BYBIT_API_KEY, BYBIT_SECRET, BybitDialect } from './bybit-dialect.js';

export { BYBIT_API_KEY, BYBIT_SECRET, SAFE_BYBIT_KEY, type BybitKeyInfo } from './bybit-dialect.js';

export interface FakeBybit extends LocalPerpVenue {
  readonly dialect: BybitDialect;
}

export async function startFakeBybit(options: PerpVenueOptions = {}): Promise<FakeBybit> {
  const dialect = new BybitDialect(BYBIT_API_KEY, BYBIT_SECRET);
  const venue = await startPerpVenue(dialect, options);
  return Object.assign(venue, { dialect });
}

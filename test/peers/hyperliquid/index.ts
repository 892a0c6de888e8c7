// The local Hyperliquid stand-in: see README.md in this folder.
import { type LocalPerpVenue, type PerpVenueOptions, startPerpVenue } from '../perp-venue/perp-venue.js';
import { HyperliquidDialect } from './hyperliquid-dialect.js';

export { HL_ACCOUNT, HL_AGENT, HL_AGENT_KEY, HL_MAIN_KEY } from './hyperliquid-dialect.js';

export interface FakeHyperliquid extends LocalPerpVenue {
  readonly dialect: HyperliquidDialect;
}

export async function startFakeHyperliquid(options: PerpVenueOptions = {}): Promise<FakeHyperliquid> {
  const dialect = new HyperliquidDialect();
  const venue = await startPerpVenue(dialect, options);
  return Object.assign(venue, { dialect });
}

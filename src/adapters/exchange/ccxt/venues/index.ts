// The venues the daemon trades on, by ccxt id.
import { OperationalError } from '../../../../domain/errors.js';
import { binanceProfile } from './binance.js';
import { bybitProfile } from './bybit.js';
import { hyperliquidProfile } from './hyperliquid.js';
import type { VenueProfile } from './venue-profile.js';

export type { OrderKind, VenueProfile } from './venue-profile.js';

export const SUPPORTED_VENUES = ['binanceusdm', 'bybit', 'hyperliquid'] as const;

/**
 * The profile of one venue. On Hyperliquid `apiKey` is the main wallet's address and `secret` the API wallet's
 * private key.
 */
export function venueProfile(exchangeId: string, apiKey = '', secret = ''): VenueProfile {
  switch (exchangeId) {
    case 'binanceusdm':
      return binanceProfile;
    case 'bybit':
      return bybitProfile;
    case 'hyperliquid':
      return hyperliquidProfile(apiKey, secret);
    default:
      throw new OperationalError(`exchange "${exchangeId}" is not supported; use one of ${SUPPORTED_VENUES.join(', ')}`);
  }
}

/** The profile, or undefined for a ccxt id the daemon does not trade on (market data only). */
export function knownVenueProfile(exchangeId: string): VenueProfile | undefined {
  return (SUPPORTED_VENUES as readonly string[]).includes(exchangeId) ? venueProfile(exchangeId) : undefined;
}

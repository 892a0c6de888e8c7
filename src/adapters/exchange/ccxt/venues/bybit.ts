// Bybit linear perpetuals (unified trading account): conditional orders share the order book with regular ones,
// a stop triggers on the last price unless told `triggerBy: MarkPrice`, and the trigger's direction must be given.
// Isolated margin is an account setting on the unified account; one-way mode and leverage are set per symbol.
import type { Exchange as CcxtClient } from 'ccxt';
import { OperationalError } from '../../../../domain/errors.js';
import { DAY_MS } from '../../../../domain/time.js';
import type { Balance } from '../../../../ports/exchange.js';
import type { AccountCheck } from '../account-check.js';
import { guarded, translateCcxtError, venueCodeOf } from '../ccxt-errors.js';
import type { VenueProfile } from './venue-profile.js';

/** The executions that are fills of a position: our orders', the liquidation engine's, auto-deleveraging's, block trades. */
const BYBIT_FILL_TYPES = new Set(['Trade', 'BustTrade', 'AdlTrade', 'BlockTrade']);

/** "Leverage not modified", "position mode not modified", "margin mode not modified": already as wanted. */
const ALREADY_SO = new Set([110043, 110025, 110026]);

const WITHDRAWAL_FIX =
  'This Bybit API key may withdraw funds. Create a new key in Bybit API Management ("System-generated API Keys", ' +
  '"API Transaction") with only Contract → Orders and Positions (or Unified Trading → Trade) ticked, no Wallet ' +
  'permissions, bound to your server\'s IP address; put the new key and secret in the configuration and delete the old key.';

interface QueryApi {
  readonly readOnly?: unknown;
  readonly ips?: unknown;
  readonly permissions?: Record<string, unknown>;
}

async function settle<T>(call: () => Promise<T>, context: { operation: string; symbol: string; secrets: readonly string[] }): Promise<void> {
  try {
    await call();
  } catch (error) {
    const code = venueCodeOf(error);
    if (code === undefined || !ALREADY_SO.has(code)) throw translateCcxtError(error, context);
  }
}

export async function checkBybitKey(
  exchange: CcxtClient,
  balance: () => Promise<Balance>,
  secrets: readonly string[],
): Promise<AccountCheck> {
  const current = await balance();
  const answer = (await guarded({ operation: 'verifyAccount (API key permissions)', secrets }, () =>
    (exchange as unknown as { privateGetV5UserQueryApi: () => Promise<unknown> }).privateGetV5UserQueryApi(),
  )) as { result?: QueryApi };
  const key = answer.result;
  const permissions = key?.permissions;
  if (!key || typeof permissions !== 'object' || permissions === null) {
    throw new OperationalError(
      'verifyAccount: Bybit did not report the API key permissions; refusing to trade with a key whose withdrawal permission is unknown',
    );
  }
  const granted = Object.entries(permissions).flatMap(([group, list]) => (Array.isArray(list) ? list.map((p) => `${group}.${String(p)}`) : []));
  if (granted.some((p) => /withdraw/i.test(p))) throw new OperationalError(WITHDRAWAL_FIX);
  if (Number(key.readOnly) === 1) {
    throw new OperationalError('This Bybit API key is read-only. Edit it in Bybit API Management and grant "Read-Write" with Contract → Orders and Positions.');
  }
  const canTrade = granted.some((p) => p === 'ContractTrade.Order' || p === 'Derivatives.DerivativesTrade' || p === 'UnifiedTrading.Trade');
  if (!canTrade) {
    throw new OperationalError('This Bybit API key may not trade derivatives. Edit it and tick Contract → Orders and Positions (no Wallet permissions).');
  }
  const warnings: string[] = [];
  if (granted.some((p) => p.startsWith('Wallet.'))) warnings.push('the API key may transfer funds between accounts; untick the Wallet permissions');
  if (granted.some((p) => p.startsWith('Spot.'))) warnings.push('the API key may trade spot; only contract permission is needed');
  const ips = Array.isArray(key.ips) ? key.ips.map(String) : [];
  if (ips.length === 0 || ips.includes('*')) {
    warnings.push('the API key is not restricted to an IP address; restrict it to the server running the daemon');
  }
  return { balance: current, restrictionsChecked: true, warnings };
}

/**
 * Bybit takes letters, digits, `-` and `_` in an orderLinkId (36 at most), not the `.` of a replacement's version
 * (`ltd-7-stop.2`): it goes out as `_2` and comes back as `.2`. The daemon's own ids hold no `_` otherwise.
 */
const toLinkId = (clientOrderId: string): string => clientOrderId.replace(/\.(\d+)$/, '_$1');
const fromLinkId = (linkId: string | undefined): string | undefined => linkId?.replace(/_(\d+)$/, '.$1');

export const bybitProfile: VenueProfile = {
  id: 'bybit',
  label: 'Bybit',
  defaultSettle: 'USDT',
  fundingAmountSign: -1,
  fundingIntervalHours: 8,
  separateTriggerBook: false,
  clientOptions: {
    defaultType: 'swap',
    defaultSubType: 'linear',
    fetchMarkets: { types: ['linear'] },
  },
  configure(exchange) {
    // The coin list is an asset-API call a contract-only key may not make, and futures do not need it.
    exchange.has['fetchCurrencies'] = false;
  },
  credentials: (apiKey, secret) => ({ apiKey, secret }),
  wireClientId: toLinkId,
  ownClientId: fromLinkId,
  orderParams: (clientOrderId, { ioc, reduceOnly }) => ({
    clientOrderId: toLinkId(clientOrderId),
    ...(reduceOnly ? { reduceOnly: true } : {}),
    ...(ioc ? { timeInForce: 'IOC' } : {}),
  }),
  marketNeedsPrice: false,
  stopPrice: () => undefined,
  stopParams: ({ clientOrderId, positionSide, triggerPrice }) => ({
    triggerPrice,
    // A long's stop sits below the price and fires on a fall; a short's above, on a rise.
    triggerDirection: positionSide === 'long' ? 'descending' : 'ascending',
    triggerBy: 'MarkPrice',
    reduceOnly: true,
    clientOrderId: toLinkId(clientOrderId),
  }),
  // The same conditional order the other way: a long's target sits above the price and fires on a rise. ccxt does not
  // translate Binance's `workingType`, and Bybit triggers on the last price unless `triggerBy` says otherwise
  // (bybit-exchange.github.io/docs/v5/order/create-order: triggerBy, triggerDirection).
  takeProfitParams: ({ clientOrderId, positionSide, triggerPrice }) => ({
    triggerPrice,
    triggerDirection: positionSide === 'long' ? 'ascending' : 'descending',
    triggerBy: 'MarkPrice',
    reduceOnly: true,
    clientOrderId: toLinkId(clientOrderId),
  }),
  // Bybit finds the last 500 orders of any status by client id, which covers a look-up after a timeout.
  findParams: (clientOrderId) => ({ orderLinkId: clientOrderId, acknowledged: true }),
  byIdParams: { acknowledged: true },
  cancelParams: () => ({}),
  accountParams: {},
  // ccxt asks for `execType=Trade` only, and Bybit lists the liquidation engine's fills as BustTrade and
  // auto-deleveraging as AdlTrade: a liquidated position would never show flat. Unset, the list holds every type,
  // funding settlements (execType Funding, no quantity) too, which are not fills.
  fillParams: { execType: undefined },
  isPositionFill: (info) => BYBIT_FILL_TYPES.has(String(info['execType'] ?? 'Trade')),
  // /v5/execution/list (fills and funding alike): at most 7 days a request (only a start asks for the 7 days after it),
  // newest first, at most 100 rows; ccxt sends a funding read's limit as `size`, which the venue ignores (50).
  history: { windowMs: 7 * DAY_MS, limit: 100, newestFirst: true, perSymbol: true },
  // An order placed without a link id (on the website) lists its executions with an empty one.
  fillClientId: (info) => (typeof info['orderLinkId'] === 'string' && info['orderLinkId'] !== '' ? info['orderLinkId'] : undefined),
  // 10002: the request's timestamp is outside the receive window.
  clockDriftCodes: [10002],
  venueClientId: (info) => (info['execType'] === 'BustTrade' ? `autoclose-${String(info['execId'] ?? '')}` : info['execType'] === 'AdlTrade' ? 'adl_autoclose' : undefined),
  async prepareSymbol(exchange, symbol, leverage, marginMode, secrets) {
    const context = { operation: 'setLeverage', symbol, secrets };
    await settle(() => exchange.setMarginMode(marginMode, symbol), context);
    await settle(() => exchange.setPositionMode(false, symbol), context);
    await settle(() => exchange.setLeverage(leverage, symbol), context);
  },
  checkAccount: (exchange, balance, _sandbox, secrets) => checkBybitKey(exchange, balance, secrets),
};

// Binance USDⓈ-M: conditional orders on the algo-order service (a book of their own), `MARK_PRICE` working type,
// isolated margin set per symbol. The key check reads the key's own permissions from the spot API.
import { DAY_MS } from '../../../../domain/time.js';
import type { VenueProfile } from './venue-profile.js';
import { checkAccount } from '../account-check.js';
import { guarded, venueCodeOf, translateCcxtError } from '../ccxt-errors.js';

const NO_NEED_TO_CHANGE_MARGIN_TYPE = -4046;

export const binanceProfile: VenueProfile = {
  id: 'binanceusdm',
  label: 'Binance USDⓈ-M',
  defaultSettle: 'USDT',
  fundingAmountSign: 1,
  fundingIntervalHours: 8,
  separateTriggerBook: true,
  // Binance meters 2,400 request weight per minute per IP; ccxt paces at 1,200. A cold scan of 200 markets weighs about
  // 1,650, so the public client gets three quarters, and the trading client, which sends a few dozen units a minute,
  // keeps the rest: together never more than the venue allows.
  weightPerMinute: { marketData: 1_800, trading: 600 },
  clientOptions: {},
  credentials: (apiKey, secret) => ({ apiKey, secret }),
  wireClientId: (id) => id,
  ownClientId: (id) => id,
  orderParams: (clientOrderId, { ioc, reduceOnly }) => ({
    ...(reduceOnly ? { reduceOnly: true } : {}),
    newClientOrderId: clientOrderId,
    ...(ioc ? { timeInForce: 'IOC' } : {}),
  }),
  marketNeedsPrice: false,
  stopPrice: () => undefined,
  stopParams: ({ clientOrderId, triggerPrice }) => ({
    triggerPrice,
    reduceOnly: true,
    workingType: 'MARK_PRICE',
    clientOrderId,
  }),
  takeProfitParams: ({ clientOrderId, triggerPrice }) => ({
    takeProfitPrice: triggerPrice,
    reduceOnly: true,
    workingType: 'MARK_PRICE',
    clientOrderId,
  }),
  findParams: (clientOrderId, kind) => (kind === 'trigger' ? { clientOrderId, trigger: true } : { clientOrderId }),
  byIdParams: {},
  cancelParams: (kind) => (kind === 'trigger' ? { trigger: true } : {}),
  accountParams: {},
  fillParams: {},
  isPositionFill: () => true,
  // userTrades and income: up to 1000 rows a page, oldest first, a trade window of at most 7 days.
  history: { windowMs: 7 * DAY_MS, limit: 1000, pageSize: 1000, newestFirst: false, perSymbol: true },
  venueClientId: () => undefined,
  fillClientId: () => undefined,
  // -1021: the timestamp is outside the receive window.
  clockDriftCodes: [-1021],
  async prepareSymbol(exchange, symbol, leverage, marginMode, secrets) {
    const context = { operation: 'setLeverage', symbol, secrets };
    try {
      await exchange.setMarginMode(marginMode, symbol);
    } catch (error) {
      if (venueCodeOf(error) !== NO_NEED_TO_CHANGE_MARGIN_TYPE) throw translateCcxtError(error, context);
    }
    await guarded(context, () => exchange.setLeverage(leverage, symbol));
  },
  checkAccount: (exchange, balance, sandbox, secrets) => checkAccount(exchange, balance, sandbox, secrets),
};

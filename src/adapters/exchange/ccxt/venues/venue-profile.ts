// What differs between the futures venues the daemon trades on, in one place: the parameters ccxt expects for each
// kind of order, how orders are looked up by client id, how the account is prepared and checked. Everything else
// (sizing, the late-answer look-up, mapping, error translation) is shared by all venues.
import type { Exchange as CcxtClient, LeverageTier } from 'ccxt';
import type { Side } from '../../../../domain/market.js';
import type { Balance, MarginMode } from '../../../../ports/exchange.js';
import type { AccountCheck } from '../account-check.js';

export type OrderKind = 'regular' | 'trigger';

export interface StopParams {
  readonly clientOrderId: string;
  readonly positionSide: Side;
  readonly triggerPrice: number;
}

/**
 * How a venue pages the account's history. Read in windows of `windowMs` (the widest the venue answers for), each page
 * by page until a page brings nothing new; a page shorter than `pageSize`, where the venue fills every page it can, is
 * the last.
 */
export interface HistoryPaging {
  readonly windowMs: number;
  /** The rows asked for a page (ccxt's `limit`): the most the venue allows. */
  readonly limit: number;
  /** Set where a page shorter than this is known to be the last; elsewhere the reading goes on to an empty page. */
  readonly pageSize?: number;
  /** A page holds the window's newest rows (Bybit); else its oldest (Binance, Hyperliquid). */
  readonly newestFirst: boolean;
  /** False where a request cannot name one market (Hyperliquid): the pages hold every market's rows. */
  readonly perSymbol: boolean;
}

export interface VenueProfile {
  /** The ccxt id, e.g. `bybit`. */
  readonly id: string;
  /** The venue's name for messages. */
  readonly label: string;
  /** The settlement asset of the venue's default linear perpetuals. */
  readonly defaultSettle: string;
  /**
   * +1 when ccxt's funding amount is what the account received (Binance, Hyperliquid); -1 where it passes on the
   * venue's fee, positive when paid (Bybit's `execFee` of a Funding execution).
   */
  readonly fundingAmountSign: 1 | -1;
  /** Hours between funding settlements. */
  readonly fundingIntervalHours: number;
  /** Conditional orders live in their own book (Binance's algo orders), so open orders are read twice. */
  readonly separateTriggerBook: boolean;
  /**
   * The venue's request-weight budget per minute split between this process's two clients (ccxt's endpoint costs are
   * the venue's weights), where ccxt's default pacing would leave it half unused. Undefined: ccxt's default.
   */
  readonly weightPerMinute?: { readonly marketData: number; readonly trading: number };
  /** Extra ccxt constructor options (market types to load, venue-specific switches). */
  readonly clientOptions: Readonly<Record<string, unknown>>;
  /** Adjusts the constructed client (switches that are methods, not options). */
  configure?(exchange: CcxtClient): void;
  /** Constructor credentials from the configured key and secret. */
  credentials(apiKey: string, secret: string): Record<string, unknown>;
  /** The client id as the venue takes it (Hyperliquid: 128-bit hex), and back. */
  wireClientId(clientOrderId: string): string;
  ownClientId(wireId: string | undefined): string | undefined;
  /** Params of an entry or close: client id, time in force, reduce-only. */
  orderParams(clientOrderId: string, options: { readonly ioc: boolean; readonly reduceOnly: boolean }): Record<string, unknown>;
  /** Whether a market order needs a reference price (Hyperliquid: the slippage bound). */
  readonly marketNeedsPrice: boolean;
  /**
   * The price handed to ccxt for a trigger-market order, stop or take-profit (Hyperliquid: the reference of its
   * slippage cap).
   */
  stopPrice(triggerPrice: number): number | undefined;
  /** Params of a reduce-only stop-market order that triggers on the mark price. */
  stopParams(request: StopParams): Record<string, unknown>;
  /** Params of a reduce-only take-profit-market order (the target) that triggers on the mark price. */
  takeProfitParams(request: StopParams): Record<string, unknown>;
  findParams(wireClientId: string, kind: OrderKind): Record<string, unknown>;
  /** Params of a look-up by the venue's order id. */
  readonly byIdParams: Readonly<Record<string, unknown>>;
  cancelParams(kind: OrderKind): Record<string, unknown>;
  /** Params for account-wide reads (open orders, positions) without a symbol. */
  readonly accountParams: Readonly<Record<string, unknown>>;
  /**
   * Params of the account's own trades (`fetchMyTrades`), and which of the rows it returns are fills of the position:
   * the liquidation engine's and auto-deleveraging's fills included, a funding settlement listed among them not.
   */
  readonly fillParams: Readonly<Record<string, unknown>>;
  isPositionFill(info: Readonly<Record<string, unknown>>): boolean;
  /** How the account's history (its fills, its funding) is read page by page. */
  readonly history: HistoryPaging;
  /**
   * The client id a fill the venue made itself is booked under, named as the engine reads a venue's own close
   * (`autoclose-…` a liquidation, `adl_autoclose` auto-deleveraging: Binance's own ids); undefined for any other fill.
   */
  venueClientId(info: Readonly<Record<string, unknown>>): string | undefined;
  /**
   * The client id, in the venue's terms, of the order a fill belongs to, where the fill carries it (Bybit's
   * `orderLinkId`, Hyperliquid's `cloid`): read from the fill, an order placed before a restart is still recognised
   * without a look-up. Undefined where the fill has none (Binance's trades, an order placed without one).
   */
  fillClientId(info: Readonly<Record<string, unknown>>): string | undefined;
  /**
   * Venue codes refusing a request for its timestamp, off the venue's clock by more than the receive window: the
   * time difference ccxt signs with is measured again.
   */
  readonly clockDriftCodes: readonly number[];
  /** Isolated margin, one-way mode and the leverage of one symbol. */
  prepareSymbol(exchange: CcxtClient, symbol: string, leverage: number, marginMode: MarginMode, secrets: readonly string[]): Promise<void>;
  /** The leverage tiers of every market by unified symbol, where ccxt's unified `fetchLeverageTiers` cannot read them. */
  leverageTiers?(exchange: CcxtClient): Promise<Record<string, LeverageTier[]>>;
  /** Reachable, allowed to trade, and unable to withdraw; throws OperationalError otherwise. */
  checkAccount(exchange: CcxtClient, balance: () => Promise<Balance>, sandbox: boolean, secrets: readonly string[]): Promise<AccountCheck>;
}

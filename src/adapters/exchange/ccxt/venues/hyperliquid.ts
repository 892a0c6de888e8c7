// Hyperliquid perpetuals (USDC): one order book for every kind of order, trigger orders (`tpsl: sl`) that fire on
// the mark price, market orders sent as immediate-or-cancel limits a slippage cap away from a reference price,
// isolated margin chosen with the leverage, one-way positions only, funding every hour. The account is the main
// wallet's address; orders are signed by an API (agent) wallet, which cannot withdraw.
import type { Exchange as CcxtClient } from 'ccxt';
import { DAY_MS } from '../../../../domain/time.js';
import { OperationalError } from '../../../../domain/errors.js';
import type { Balance } from '../../../../ports/exchange.js';
import type { AccountCheck } from '../account-check.js';
import { guarded } from '../ccxt-errors.js';
import { fromCloid, toCloid } from './hyperliquid-client-id.js';
import { hyperliquidLeverageTiers } from './hyperliquid-margin-tables.js';
import { ADDRESS, PRIVATE_KEY, addressOfKey } from './hyperliquid-wallet.js';
import type { VenueProfile } from './venue-profile.js';

/** How far past its trigger a stop may fill (its limit); Hyperliquid's own front end uses 10% for market triggers. */
export const STOP_SLIPPAGE = '0.1';

const MAIN_KEY_REFUSED =
  'The configured private key belongs to the main wallet of this Hyperliquid account. That key can withdraw and ' +
  'transfer everything; the daemon refuses it. On app.hyperliquid.xyz open More → API, create an API wallet ' +
  '(it can trade but not withdraw), authorise it, and configure its private key with the main wallet\'s ADDRESS ' +
  '(not its key) as the account.';

interface UserRole {
  readonly role?: unknown;
  readonly data?: { readonly user?: unknown };
}

export async function checkHyperliquidWallet(
  exchange: CcxtClient,
  balance: () => Promise<Balance>,
  account: string,
  privateKey: string,
  secrets: readonly string[],
): Promise<AccountCheck> {
  if (!ADDRESS.test(account)) throw new OperationalError('Hyperliquid: the account must be the main wallet\'s address (0x and 40 hex digits)');
  if (!PRIVATE_KEY.test(privateKey)) throw new OperationalError('Hyperliquid: the API wallet key must be 64 hex digits');
  const signer = addressOfKey(privateKey);
  if (signer === account.toLowerCase()) throw new OperationalError(MAIN_KEY_REFUSED);
  const info = exchange as unknown as { publicPostInfo: (request: Record<string, unknown>) => Promise<unknown> };
  const answer = (await guarded({ operation: 'verifyAccount (API wallet role)', secrets }, () =>
    info.publicPostInfo({ type: 'userRole', user: signer }),
  )) as UserRole;
  if (answer.role === 'user' || answer.role === 'vault' || answer.role === 'subAccount') {
    throw new OperationalError(MAIN_KEY_REFUSED.replace('the main wallet of this Hyperliquid account', `an account of its own (${String(answer.role)})`));
  }
  if (answer.role !== 'agent') {
    throw new OperationalError(
      `Hyperliquid does not know the configured key's address ${signer} as an API wallet (role ${JSON.stringify(answer.role)}). ` +
        'Authorise it on app.hyperliquid.xyz under More → API, then restart.',
    );
  }
  const owner = String(answer.data?.user ?? '').toLowerCase();
  if (owner !== account.toLowerCase()) {
    throw new OperationalError(`The API wallet ${signer} trades for ${owner || 'an unknown account'}, not for the configured account ${account}.`);
  }
  return { balance: await balance(), restrictionsChecked: true, warnings: [] };
}

export function hyperliquidProfile(account: string, privateKey: string): VenueProfile {
  return {
    id: 'hyperliquid',
    label: 'Hyperliquid',
    defaultSettle: 'USDC',
    fundingAmountSign: 1,
    fundingIntervalHours: 1,
    separateTriggerBook: false,
    clientOptions: {
      fetchMarkets: { types: ['swap'] },
      // ccxt otherwise signs a referral and a builder-fee approval for the account on first use.
      refSet: true,
      builderFee: false,
      approvedBuilderFee: false,
    },
    configure(exchange) {
      // The spot token list is of no use to perpetuals.
      exchange.has['fetchCurrencies'] = false;
      (exchange as unknown as { handleBuilderFeeApproval: () => Promise<boolean> }).handleBuilderFeeApproval = () => Promise.resolve(true);
    },
    credentials: () => ({ walletAddress: account, privateKey }),
    wireClientId: toCloid,
    ownClientId: (cloid) => fromCloid(cloid) ?? cloid,
    orderParams: (clientOrderId, { ioc, reduceOnly }) => ({
      clientOrderId: toCloid(clientOrderId),
      ...(reduceOnly ? { reduceOnly: true } : {}),
      ...(ioc ? { timeInForce: 'Ioc' } : {}),
    }),
    marketNeedsPrice: true,
    stopPrice: (triggerPrice) => triggerPrice,
    stopParams: ({ clientOrderId, triggerPrice }) => ({
      stopLossPrice: triggerPrice,
      reduceOnly: true,
      slippage: STOP_SLIPPAGE,
      clientOrderId: toCloid(clientOrderId),
    }),
    // ccxt sends `takeProfitPrice` as a market trigger with `tpsl: tp`; like the stop it fires on the mark price and
    // fills within the slippage cap of its trigger.
    takeProfitParams: ({ clientOrderId, triggerPrice }) => ({
      takeProfitPrice: triggerPrice,
      reduceOnly: true,
      slippage: STOP_SLIPPAGE,
      clientOrderId: toCloid(clientOrderId),
    }),
    findParams: (cloid) => ({ clientOrderId: cloid }),
    byIdParams: {},
    cancelParams: () => ({}),
    accountParams: {},
    fillParams: {},
    isPositionFill: () => true,
    // userFillsByTime and userFunding: the whole account's rows from a start, oldest first, 2000 and 500 at most.
    history: { windowMs: 7 * DAY_MS, limit: 500, newestFirst: false, perSymbol: false },
    fillClientId: (info) => (typeof info['cloid'] === 'string' ? info['cloid'] : undefined),
    // The signature's nonce is our own clock's milliseconds, which ccxt does not adjust by a time difference, and the
    // venue takes any within days of its time: there is no refusal for clock drift to measure again after.
    clockDriftCodes: [],
    // A fill the liquidation engine made carries a `liquidation` object (the liquidated user, the mark, the method).
    venueClientId: (info) => (info['liquidation'] ? `autoclose-${String(info['tid'] ?? '')}` : undefined),
    async prepareSymbol(exchange, symbol, leverage, marginMode, secrets) {
      await guarded({ operation: 'setLeverage', symbol, secrets }, () => exchange.setLeverage(leverage, symbol, { marginMode }));
    },
    leverageTiers: hyperliquidLeverageTiers,
    checkAccount: (exchange, balance, _sandbox, secrets) => checkHyperliquidWallet(exchange, balance, account, privateKey, secrets),
  };
}

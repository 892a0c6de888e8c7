// Start-up checks of a live account: reachable with this key, futures trading allowed, one-way position mode,
// and, above all, a key that cannot withdraw funds: a leaked trading key must not be able to empty the account.
import type { Exchange } from 'ccxt';
import { OperationalError } from '../../../domain/errors.js';
import type { Balance } from '../../../ports/exchange.js';
import { guarded } from './ccxt-errors.js';

export interface AccountCheck {
  readonly balance: Balance;
  /** false on the demo venue, which has no API-restrictions endpoint. */
  readonly restrictionsChecked: boolean;
  /** Permissions that are allowed but wider than needed. */
  readonly warnings: readonly string[];
}

interface Restrictions {
  readonly enableWithdrawals?: unknown;
  readonly enableFutures?: unknown;
  readonly enableInternalTransfer?: unknown;
  readonly permitsUniversalTransfer?: unknown;
  readonly enableMargin?: unknown;
  readonly enableSpotAndMarginTrading?: unknown;
  readonly ipRestrict?: unknown;
}

const WITHDRAWAL_FIX =
  'This API key is allowed to withdraw funds. Create a new API key for the daemon in Binance API Management ' +
  'with only "Enable Reading" and "Enable Futures" ticked: untick "Enable Withdrawals" (and "Enable Internal ' +
  'Transfer", "Permits Universal Transfer", "Enable Spot & Margin Trading"), restrict it to your server\'s IP ' +
  'address, then put the new key and secret in the configuration and delete the old key.';

const FUTURES_FIX =
  'This API key may not trade futures. In Binance API Management, edit the key and tick "Enable Futures" ' +
  '(the futures account must be opened first), leaving "Enable Withdrawals" unticked.';

const HEDGE_MODE_FIX =
  'The futures account is in Hedge Mode; the daemon places one-way orders. In Binance Futures, open ' +
  'Preferences → Position Mode and choose One-way Mode (no position may be open while switching).';

export async function checkAccount(
  exchange: Exchange,
  balance: () => Promise<Balance>,
  sandbox: boolean,
  secrets: readonly (string | undefined)[],
): Promise<AccountCheck> {
  const current = await balance();
  const positionMode = await guarded({ operation: 'verifyAccount (position mode)', secrets }, () =>
    exchange.request('positionSide/dual', 'fapiPrivate', 'GET', {}),
  );
  if ((positionMode as { dualSidePosition?: unknown }).dualSidePosition === true) {
    throw new OperationalError(HEDGE_MODE_FIX);
  }
  if (sandbox) return { balance: current, restrictionsChecked: false, warnings: [] };

  const restrictions = (await guarded({ operation: 'verifyAccount (API key permissions)', secrets }, () =>
    exchange.request('account/apiRestrictions', 'sapi', 'GET', {}),
  )) as Restrictions;
  if (typeof restrictions.enableWithdrawals !== 'boolean' || typeof restrictions.enableFutures !== 'boolean') {
    throw new OperationalError(
      'verifyAccount: the venue did not report the API key permissions (enableWithdrawals/enableFutures); ' +
        'refusing to trade with a key whose withdrawal permission is unknown',
    );
  }
  if (restrictions.enableWithdrawals) throw new OperationalError(WITHDRAWAL_FIX);
  if (!restrictions.enableFutures) throw new OperationalError(FUTURES_FIX);

  const warnings: string[] = [];
  if (restrictions.enableInternalTransfer === true || restrictions.permitsUniversalTransfer === true) {
    warnings.push('the API key may transfer funds between accounts; untick the transfer permissions');
  }
  if (restrictions.enableSpotAndMarginTrading === true || restrictions.enableMargin === true) {
    warnings.push('the API key may trade spot or margin; only futures permission is needed');
  }
  if (restrictions.ipRestrict !== true) {
    warnings.push('the API key is not restricted to an IP address; restrict it to the server running the daemon');
  }
  return { balance: current, restrictionsChecked: true, warnings };
}

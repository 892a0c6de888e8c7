// Which account the store's rows belong to: paper or live, on which venue. Paper and live can share a database (going
// live is a change of USE_PAPER_TRADING and a restart), but a position of one account is never on the other: looked
// for there, it would never be found nor booked, hold its slot for ever and, after a switch to paper, leave a real
// position unmanaged. The breakers' day and streak and the drawdown peak were measured on the old account's capital.
// Checked at start, before reconciliation reads the positions.
import type { Mode } from '../domain/events.js';
import type { StoreRepositories, TradingStateRepository } from '../ports/store.js';
import { restartBreakers } from './breaker-service.js';
import { restartFooting } from './capital-footing.js';

const ACCOUNT_KEY = 'trading-account';

/** What the store records of the account its positions and trades are on. */
export interface TradingAccountOfRecord {
  readonly mode: Exclude<Mode, 'replay'>;
  /** The exchange id, marked when it is the venue's sandbox (demo or testnet): another account again. */
  readonly venue: string;
}

/** As recorded: when the store was switched to the account (ISO time), absent when it has only ever had this one. */
interface RecordedAccount extends TradingAccountOfRecord {
  readonly since?: string;
}

function isAccountOfRecord(value: unknown): value is TradingAccountOfRecord {
  if (typeof value !== 'object' || value === null) return false;
  const account = value as Record<string, unknown>;
  return (account.mode === 'paper' || account.mode === 'live') && typeof account.venue === 'string';
}

/** The venue as recorded: `binanceusdm`, or `binanceusdm (sandbox)`. */
export function venueOfRecord(exchangeId: string, sandbox: boolean): string {
  return sandbox ? `${exchangeId} (sandbox)` : exchangeId;
}

const accountName = (account: TradingAccountOfRecord): string => `${account.mode} trading on ${account.venue}`;

/**
 * Takes the store for the `configured` account. A store last run on another account is refused while a position of
 * it is active (opening, open or closing): only that account can close it. With none, the breakers and the drawdown
 * peak start afresh on the configured account, and the line returned says so for the start-up message. A store that
 * records no account (a first start, or one from before accounts were recorded) is taken as the configured one's.
 */
export async function claimStore(store: StoreRepositories, configured: TradingAccountOfRecord, now: Date): Promise<string | undefined> {
  const recorded = await store.state.get(ACCOUNT_KEY);
  if (isAccountOfRecord(recorded) && recorded.mode === configured.mode && recorded.venue === configured.venue) return undefined;
  if (!isAccountOfRecord(recorded)) {
    await store.state.put(ACCOUNT_KEY, configured);
    return undefined;
  }
  const active = await store.positions.active();
  if (active.length > 0) {
    const symbols = active.map((position) => position.symbol).join(', ');
    throw new Error(
      `This database holds ${active.length} open position${active.length === 1 ? '' : 's'} (${symbols}) of ${accountName(recorded)}, ` +
        `but the daemon is set up for ${accountName(configured)}, where ${active.length === 1 ? 'it is' : 'they are'} not. ` +
        `Start it again for ${accountName(recorded)} and close ${active.length === 1 ? 'it' : 'them'} (/close), then switch; ` +
        `or give ${accountName(configured)} a database of its own (another DATABASE_URL, or another DATA_DIR without one).`,
    );
  }
  // The account is recorded last: a start that fails before then does all of this again.
  const { manualPause } = await restartBreakers(store.state);
  await restartFooting(store.state);
  await store.state.put(ACCOUNT_KEY, { ...configured, since: now.toISOString() } satisfies RecordedAccount);
  const fresh = `This database was last used for ${accountName(recorded)}: the daily loss limit, the losing streak and the drawdown peak start afresh from the capital of ${accountName(configured)}.`;
  return manualPause ? `${fresh} Entries stay paused by the owner until /resume.` : fresh;
}

/**
 * When the store was switched to the account it trades now; undefined when it never held another. Rows of daily
 * figures from before then are the other account's.
 */
export async function accountSince(state: TradingStateRepository): Promise<Date | undefined> {
  const recorded = (await state.get(ACCOUNT_KEY)) as RecordedAccount | undefined;
  return isAccountOfRecord(recorded) && typeof recorded.since === 'string' ? new Date(recorded.since) : undefined;
}

// The capital the daemon may trade: the account's balance, and in live mode never more than INITIAL_CAPITAL however
// much the account holds. One rule for sizing, the day's loss limit and the shadow leaderboard's footing.

/** The balance, within the cap when there is one. */
export const capitalWithin = (balance: number, cap: number | undefined): number => (cap === undefined ? balance : Math.min(balance, cap));

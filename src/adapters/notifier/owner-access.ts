// Who may change what the daemon does from Telegram. Being in the configured chat is enough to read (/status, /pnl);
// changing state (/pause, /resume, /close or /forceexit and the close buttons) needs the sender's user id, because in a
// group chat every member shares the chat id. Which command needs what is in command-catalogue.ts.

/** Read-only commands are for the configured chat; state-changing ones only for an owner. */
export type CommandAccess = 'chat' | 'owner';

export interface Sender {
  readonly chatId: number;
  readonly chatType: string;
  readonly userId?: number;
}

export type OwnerVerdict =
  | { readonly allowed: true }
  /** Owners are configured and the sender is not one of them. */
  | { readonly allowed: false; readonly reason: 'not_owner' }
  /** No TELEGRAM_OWNER_IDS and not a private chat: nobody can be told apart, so nobody may. */
  | { readonly allowed: false; readonly reason: 'owners_unset' };

/**
 * With TELEGRAM_OWNER_IDS set, exactly those users are owners. Without it, a private chat's own user is (its user id
 * is the chat id, and the bot is the only other member), so a one-person setup needs no extra setting.
 */
export function ownerVerdict(sender: Sender, ownerIds: readonly string[]): OwnerVerdict {
  const userId = sender.userId === undefined ? undefined : String(sender.userId);
  if (ownerIds.length > 0) {
    return userId !== undefined && ownerIds.includes(userId) ? { allowed: true } : { allowed: false, reason: 'not_owner' };
  }
  if (sender.chatType === 'private' && userId === String(sender.chatId)) return { allowed: true };
  return { allowed: false, reason: 'owners_unset' };
}

/** The chat reply to a refused command; it tells the sender their own user id, which is what the setting needs. */
export function refusalText(command: string, verdict: Exclude<OwnerVerdict, { allowed: true }>, userId: number | undefined): string {
  const yours = userId === undefined ? '' : ` (yours is ${userId})`;
  if (verdict.reason === 'not_owner') {
    return `Not authorised: /${command} changes what the daemon does and is only for the users in TELEGRAM_OWNER_IDS${yours}.`;
  }
  return (
    `Refused: /${command} changes what the daemon does, and in a group chat only the users listed in TELEGRAM_OWNER_IDS may use it. ` +
    `It is not set: add the owner's numeric Telegram user id${yours} to TELEGRAM_OWNER_IDS and restart the daemon.`
  );
}

/** Button answers are shown as a short toast (Telegram allows 200 characters). */
export function refusalToast(verdict: Exclude<OwnerVerdict, { allowed: true }>, userId: number | undefined): string {
  if (verdict.reason === 'not_owner') return 'Not authorised: only an owner (TELEGRAM_OWNER_IDS) may use these buttons.';
  return `Refused: set TELEGRAM_OWNER_IDS to the owner's user id${userId === undefined ? '' : ` (yours is ${userId})`} to close from a group.`;
}

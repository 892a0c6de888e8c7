// The owner's Telegram commands in one table: who may use each, what its argument may be, and the line that
// describes it. The handlers, the command menu and /help are all built from it, so they cannot drift apart, and a
// command cannot be added without saying who may use it.
import type { CommandAccess } from './owner-access.js';

/** A numeric argument: a whole number from 1, capped at `max`; absent gives `fallback`, anything else is refused. */
export interface CountArgument {
  readonly fallback?: number;
  readonly max: number;
  /** A number of days, which may be written `30d`. */
  readonly days?: boolean;
}

export interface CommandEntry {
  readonly command: string;
  readonly access: CommandAccess;
  /** The argument as /help shows it, e.g. `[n]`. */
  readonly usage?: string;
  readonly argument?: CountArgument;
  /** One line, for the menu and /help. */
  readonly summary: string;
}

export const TRADES_ARGUMENT = { fallback: 5, max: 20 } as const satisfies CountArgument;
export const LOGS_ARGUMENT = { fallback: 10, max: 30 } as const satisfies CountArgument;
export const CHART_ARGUMENT = { fallback: 7, max: 90, days: true } as const satisfies CountArgument;
/** Absent: all time. Ten years is all time for this daemon. */
export const PERFORMANCE_ARGUMENT = { max: 3650, days: true } as const satisfies CountArgument;

export const CALENDAR_ARGUMENT = { fallback: 5, max: 20 } as const satisfies CountArgument;

export const COMMANDS = [
  { command: 'status', access: 'chat', summary: 'Mode, capital, breakers, open positions' },
  { command: 'positions', access: 'chat', summary: 'Open positions with P&L' },
  { command: 'balance', access: 'chat', summary: 'Capital, balance, margin, open P&L, equity' },
  { command: 'pnl', access: 'chat', summary: 'P&L today, this week, all time' },
  { command: 'daily', access: 'chat', summary: 'Today so far' },
  { command: 'weekly', access: 'chat', summary: 'This week so far' },
  { command: 'monthly', access: 'chat', summary: 'This month so far' },
  {
    command: 'performance',
    access: 'chat',
    usage: '[days]',
    argument: PERFORMANCE_ARGUMENT,
    summary: 'Net P&L per symbol, best first: all time, or the last n days (30 or 30d)',
  },
  { command: 'stats', access: 'chat', summary: 'Exit reasons and holding times' },
  {
    command: 'trades',
    access: 'chat',
    usage: '[n]',
    argument: TRADES_ARGUMENT,
    summary: `Last n trades (default ${TRADES_ARGUMENT.fallback}, at most ${TRADES_ARGUMENT.max})`,
  },
  {
    command: 'chart',
    access: 'chat',
    usage: '[days]',
    argument: CHART_ARGUMENT,
    summary: `Equity chart of the last n days (default ${CHART_ARGUMENT.fallback}, at most ${CHART_ARGUMENT.max}; 30 or 30d)`,
  },
  { command: 'cost', access: 'chat', summary: 'AI spend' },
  { command: 'models', access: 'chat', summary: 'How often each analyst was right' },
  { command: 'shadows', access: 'chat', summary: 'Paper variants against this account, with a significance test' },
  {
    command: 'logs',
    access: 'chat',
    usage: '[n]',
    argument: LOGS_ARGUMENT,
    summary: `Last n warnings and errors (default ${LOGS_ARGUMENT.fallback}, at most ${LOGS_ARGUMENT.max})`,
  },
  { command: 'risk', access: 'chat', summary: 'Breakers and budget left, losing streak, daily loss, drawdown, exposure, next blackout' },
  {
    command: 'calendar',
    access: 'chat',
    usage: '[n]',
    argument: CALENDAR_ARGUMENT,
    summary: `Next high-impact events and their entry blackouts (default ${CALENDAR_ARGUMENT.fallback})`,
  },
  { command: 'config', access: 'chat', summary: 'Effective settings' },
  { command: 'version', access: 'chat', summary: 'Version, commit, Node.js, mode, uptime' },
  { command: 'universe', access: 'chat', summary: 'Markets scanned today, and why others are left out' },
  { command: 'help', access: 'chat', summary: 'List the commands' },
  { command: 'pause', access: 'owner', summary: 'Stop new entries (open positions stay protected)' },
  { command: 'resume', access: 'owner', summary: 'Allow new entries again' },
  { command: 'close', access: 'owner', summary: 'Close an open position; /close ETH for one market (asks to confirm)' },
  { command: 'forceexit', access: 'owner', summary: 'The same as /close' },
] as const satisfies readonly CommandEntry[];

export type CommandName = (typeof COMMANDS)[number]['command'];

/** The menu Telegram shows when "/" is typed; owner-only commands say so, since the menu cannot group them. */
export const COMMAND_MENU: readonly { command: string; description: string }[] = COMMANDS.map((entry) => ({
  command: entry.command,
  description: entry.access === 'owner' ? `${entry.summary} · owners only` : entry.summary,
}));

/**
 * A count argument given but not a whole number from 1 (`1,000`, `-3`, `30d` where days are not meant): refused with
 * the command's usage, as answering for the default instead would pass for an answer to what was asked.
 */
export class InvalidCountError extends Error {}

/** Reads a count argument: `/trades 10` → 10, `/chart 30d` → 30; absent → the fallback; capped at max. */
export function parseCount(argument: string, spec: CountArgument): number | undefined {
  const text = argument.trim();
  if (text === '') return spec.fallback;
  const digits = (spec.days === true ? /^(\d+)d?$/i : /^(\d+)$/).exec(text)?.[1];
  const count = Number(digits);
  if (digits === undefined || count === 0) throw new InvalidCountError(`not ${spec.days === true ? 'a number of days' : 'a whole number from 1'}: ${text}`);
  return Math.min(count, spec.max);
}

/** A typical argument for the command's usage line: a month of days, or ten of a count, within its cap. */
export function exampleCount(spec: CountArgument): number {
  return Math.min(spec.days === true ? 30 : 10, spec.max);
}

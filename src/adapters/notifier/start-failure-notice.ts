// Tells the owner on Telegram that the daemon could not start. Under Docker a failed start is restarted and fails
// again, silently: the owner, who follows the bot only through Telegram, would hear nothing while a position may be
// open with nobody watching it. This goes straight to the Bot API: the store and its outbox may be what failed.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describeError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { formatUtcTime } from './render/format.js';
import { modeLabel } from './render/words.js';
import { createTelegramBot, translateTelegramError, withoutBotToken } from './telegram-api.js';

/**
 * Docker restarts a failing container about once a minute: the same reason is told again at most this often, so the
 * owner hears that it still fails without a message per restart.
 */
export const START_FAILURE_QUIET_MS = 60 * 60_000;
/** A dead network must not hold the process's exit, and with it the next restart, for longer than this. */
export const START_FAILURE_SEND_BUDGET_MS = 5_000;
export const START_FAILURES_FILE = 'start-failures.json';
/** Leaves room in Telegram's 4096 characters for the lines around the reason. */
const REASON_LIMIT = 1_500;

interface FailureRecord {
  /** Failed starts since the last successful one. */
  readonly count: number;
  readonly firstFailedAt: string;
  /** Tells the newer of the two places apart when both hold a record. */
  readonly lastFailedAt?: string;
  /**
   * Each reason told to the owner (its digest), and when. Kept per reason: two that take turns (a timeout, then a 503,
   * through a venue's maintenance) would otherwise each count as new at every restart.
   */
  readonly noticed?: Readonly<Record<string, string>>;
}

/** Reasons remembered in a record; the oldest told goes first. */
const NOTICED_REASONS = 20;

export interface StartFailureNoticeOptions {
  /** Where the record of failed starts is kept (DATA_DIR): it must outlive the process. */
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly mode: 'paper' | 'live';
  /** Without it, failed starts are only counted, for the start-up message of the start that succeeds. */
  readonly telegram?: { readonly token: string; readonly chatId: string; readonly apiRoot?: string };
  /** Takes known secret values out of the reason. */
  readonly hideSecrets: { text(text: string): string };
  readonly sendBudgetMs?: number;
  /** Where the record goes when DATA_DIR cannot be written; os.tmpdir() unless given. */
  readonly fallbackDir?: string;
}

export class StartFailureNotice {
  /** DATA_DIR's record first, then the fallback's. */
  private readonly files: readonly string[];
  private started = false;

  constructor(private readonly options: StartFailureNoticeOptions) {
    // A full or read-only DATA_DIR is a common reason a start fails, and without a record every restart would tell
    // the owner again. Docker restarts the same container, whose /tmp survives the restart. The name carries DATA_DIR
    // so that two daemons outside a container sharing one temporary folder keep their records apart.
    const fallbackName = `start-failures-${createHash('sha256').update(resolve(options.dataDir)).digest('hex').slice(0, 12)}.json`;
    this.files = [join(options.dataDir, START_FAILURES_FILE), join(options.fallbackDir ?? tmpdir(), fallbackName)];
  }

  /**
   * Counts a failed start and tells the owner when the reason is new or the quiet period has passed. Never throws: it
   * runs on the way out of a failure. A daemon that stops on an error after it started is no failed start: it said it
   * started, and its next start says so again.
   */
  async failed(error: unknown): Promise<void> {
    if (this.started) return;
    try {
      const now = this.options.clock.now();
      const reason = this.reasonOf(error);
      const digest = digestOf(reason);
      const earlier = await this.read();
      const toldAt = earlier?.noticed?.[digest];
      const due = toldAt === undefined || now.getTime() - Date.parse(toldAt) >= START_FAILURE_QUIET_MS;
      const record: FailureRecord = {
        ...earlier,
        count: (earlier?.count ?? 0) + 1,
        firstFailedAt: earlier?.firstFailedAt ?? now.toISOString(),
        lastFailedAt: now.toISOString(),
      };
      // Written before the send, so that the message can say when the record could not be kept anywhere: the owner
      // must then expect a message per restart.
      const recorded = await this.write(record);
      const told = due && (await this.tell(reason, record, recorded));
      if (told && recorded) await this.write({ ...record, noticed: withNotice(record.noticed, digest, now) });
    } catch (failure) {
      this.options.logger.warn({ error: describeError(failure) }, 'could not record or tell the failed start');
    }
  }

  /** The line the start-up message carries when the starts before this one failed. */
  async recoveryLine(): Promise<string | undefined> {
    const record = await this.read();
    if (record === undefined) return undefined;
    const starts = record.count === 1 ? '1 failed start' : `${record.count} failed starts`;
    return `Recovered after ${starts} since ${formatUtcTime(new Date(record.firstFailedAt))}`;
  }

  /** The start succeeded: earlier failures are forgotten, and a later error is no failed start. */
  async succeeded(): Promise<void> {
    this.started = true;
    for (const file of this.files) {
      await rm(file, { force: true }).catch((error: unknown) => {
        this.options.logger.warn({ error: describeError(error) }, 'could not clear the record of failed starts');
      });
    }
  }

  private reasonOf(error: unknown): string {
    const reason = withoutBotToken(this.options.hideSecrets.text(describeError(error)));
    return reason.length <= REASON_LIMIT ? reason : `${reason.slice(0, REASON_LIMIT)}…`;
  }

  private async tell(reason: string, record: FailureRecord, recorded: boolean): Promise<boolean> {
    const { telegram, clock, logger, mode } = this.options;
    if (telegram === undefined) return false;
    const since = record.count === 1 ? '' : ` (${record.count} failed starts since ${formatUtcTime(new Date(record.firstFailedAt))})`;
    const text = [
      `⛔ The daemon could not start · ${modeLabel(mode)}${since}`,
      `Reason: ${reason}`,
      recorded
        ? 'Under Docker (restart: unless-stopped) it is started again and retries; you hear again when the reason changes, ' +
          'otherwise at most once an hour.'
        : 'Under Docker (restart: unless-stopped) it is started again and retries. This notice could not be recorded ' +
          '(neither DATA_DIR nor the temporary folder can be written), so it may repeat at every restart.',
      'Check: the log (docker compose logs daemon), the exchange (maintenance, API key and its permissions), ' +
        'Postgres and Redis, and DATA_DIR.',
      mode === 'live'
        ? 'Stops placed before the daemon stopped rest on the exchange, but nothing else watches them until the daemon runs; ' +
          'a position whose stop was not placed yet (an entry filled just before the stop) is unprotected until then: check the exchange.'
        : undefined,
    ]
      .filter((line) => line !== undefined)
      .join('\n');
    const abandon = new AbortController();
    const sent = new AbortController();
    void clock.sleep(this.options.sendBudgetMs ?? START_FAILURE_SEND_BUDGET_MS, sent.signal).then(() => abandon.abort());
    try {
      const client = createTelegramBot({ token: telegram.token, ...(telegram.apiRoot === undefined ? {} : { apiRoot: telegram.apiRoot }) }).telegram;
      type Signal = NonNullable<Parameters<typeof client.callApi>[2]>['signal'];
      await client.callApi('sendMessage', { chat_id: telegram.chatId, text, link_preview_options: { is_disabled: true } }, { signal: abandon.signal as Signal });
      return true;
    } catch (error) {
      const detail = abandon.signal.aborted ? `no answer within ${this.options.sendBudgetMs ?? START_FAILURE_SEND_BUDGET_MS} ms` : translateTelegramError(error).message;
      logger.warn({ error: detail }, 'could not tell the owner on Telegram that the start failed');
      return false;
    } finally {
      sent.abort();
    }
  }

  /**
   * The newer of the two records: DATA_DIR may still hold an older one when it filled up during a run of failed starts
   * and the later ones went to the fallback.
   */
  private async read(): Promise<FailureRecord | undefined> {
    const [inDataDir, inFallback] = await Promise.all(this.files.map(readRecord));
    if (inDataDir === undefined || inFallback === undefined) return inDataDir ?? inFallback;
    return lastFailureOf(inFallback) > lastFailureOf(inDataDir) ? inFallback : inDataDir;
  }

  /** Whether the record is kept somewhere: DATA_DIR, else the fallback. */
  private async write(record: FailureRecord): Promise<boolean> {
    for (const file of this.files) {
      try {
        await writeRecord(file, record);
        return true;
      } catch (error) {
        this.options.logger.warn({ error: describeError(error), file }, 'could not record the failed start');
      }
    }
    return false;
  }
}

async function readRecord(file: string): Promise<FailureRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<FailureRecord>;
    if (typeof parsed.count !== 'number' || typeof parsed.firstFailedAt !== 'string' || Number.isNaN(Date.parse(parsed.firstFailedAt))) return undefined;
    const { noticed, ...rest } = parsed as FailureRecord;
    const reasons = typeof noticed === 'object' && noticed !== null && !Array.isArray(noticed) ? { noticed } : {};
    return { ...rest, ...reasons };
  } catch {
    // A record cut short by a crash mid-write is started afresh rather than stopping the notice.
    return undefined;
  }
}

async function writeRecord(file: string, record: FailureRecord): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record)}\n`);
  await rename(temporary, file);
}

/** Records written before lastFailedAt existed count from their first failure. */
function lastFailureOf(record: FailureRecord): number {
  return Date.parse(record.lastFailedAt ?? record.firstFailedAt);
}

/** The reasons told, with this one told now; the oldest drop out past `NOTICED_REASONS`. */
function withNotice(noticed: FailureRecord['noticed'], digest: string, now: Date): Record<string, string> {
  const entries = Object.entries({ ...noticed, [digest]: now.toISOString() }).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.slice(-NOTICED_REASONS));
}

/**
 * The same failure told twice differs in its numbers (a port, a timestamp, a request id in the venue's answer): they
 * are left out, or each restart would count as a new reason and be told at once.
 */
function digestOf(reason: string): string {
  return createHash('sha256').update(reason.replace(/\d+/g, '#')).digest('hex').slice(0, 16);
}

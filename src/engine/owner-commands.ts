// The owner's requests (Telegram, the web page) wait here until the daemon's loop carries them out between its own
// steps. Nothing outside the loop changes a position or the breakers, so a /close can never race the monitor closing
// the same position, and a /pause can never be overwritten by a trade's booking.
//
// Each request is written down (the engine state's `owner-requests`) before it is queued and struck off once carried
// out: a hard crash or a reboot between the two does not lose it. The next start hands such requests to the daemon,
// which carries them out or, when they are too old to act on unasked, tells the owner they were not.
import { DaemonStoppedError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { CloseOutcome } from '../ports/control.js';
import type { TradingStateRepository } from '../ports/store.js';

export type OwnerCommand =
  | { readonly kind: 'pause'; readonly requestedBy: string }
  /** `sentAt`: when the owner sent it (ISO), which decides what it may lift; absent in a request written by an older version. */
  | { readonly kind: 'resume'; readonly requestedBy: string; readonly sentAt?: string }
  | { readonly kind: 'close'; readonly positionId: string; readonly requestedBy: string };

export interface CommandResults {
  pause: void;
  resume: void;
  close: CloseOutcome;
}

/** A request found written down at start-up: the process that took it stopped before carrying it out. */
export interface UnfinishedCommand {
  readonly id: string;
  readonly command: OwnerCommand;
  readonly requestedAt: Date;
}

interface Written {
  readonly id: string;
  readonly at: string;
  readonly command: OwnerCommand;
}

interface Pending {
  readonly id: string;
  readonly command: OwnerCommand;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const JOURNAL_KEY = 'owner-requests';

function isWritten(value: unknown): value is Written {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  const command = entry.command as Record<string, unknown> | undefined;
  return (
    typeof entry.id === 'string' &&
    typeof entry.at === 'string' &&
    typeof command === 'object' &&
    command !== null &&
    typeof command.requestedBy === 'string' &&
    (command.kind === 'pause' || command.kind === 'resume' || (command.kind === 'close' && typeof command.positionId === 'string'))
  );
}

/** Where requests are written down; none in a replay, which takes no owner's requests. */
export interface CommandJournal {
  readonly state: TradingStateRepository;
  readonly clock: Clock;
}

export class OwnerCommandQueue {
  private pending: Pending[] = [];
  private closed = false;
  private listener: () => void = () => undefined;
  /** This process's requests not yet carried out, in the order they came. */
  private written: Written[] = [];
  /**
   * What earlier processes left written down and this one has not dealt with yet. Kept in every write: the owner's
   * first request can come while the daemon is still starting, before `unfinished()` hands these out.
   */
  private earlier: Written[] = [];
  private handedOut = false;
  private loaded: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private counter = 0;

  constructor(private readonly journal?: CommandJournal) {}

  /** `onSubmit` is called after each submission: the daemon wakes up for it instead of finishing its sleep. */
  onSubmit(listener: () => void): void {
    this.listener = listener;
  }

  /**
   * Queues the command, writes it down, and resolves once the loop has carried it out. Queued at once: a daemon told
   * to stop right after still carries it out. The writing is a safeguard against a crash, not a condition: a /pause is
   * carried out even while the database cannot take the note.
   */
  submit<K extends OwnerCommand['kind']>(command: Extract<OwnerCommand, { kind: K }>): Promise<CommandResults[K]> {
    if (this.closed) return Promise.reject(new DaemonStoppedError());
    const id = `${(this.journal?.clock.now().getTime() ?? 0).toString(36)}-${(this.counter += 1)}`;
    if (this.journal) void this.record({ id, at: this.journal.clock.now().toISOString(), command }).catch(() => undefined);
    return new Promise<CommandResults[K]>((resolve, reject) => {
      this.pending.push({ id, command, resolve: resolve as (result: unknown) => void, reject });
      this.listener();
    });
  }

  get size(): number {
    return this.pending.length;
  }

  /** Hands every waiting command to `execute`, oldest first; each requester gets its own result or error. */
  async drain(execute: (command: OwnerCommand) => Promise<unknown>): Promise<void> {
    while (this.pending.length > 0) {
      const next = this.pending.shift() as Pending;
      try {
        const result = await execute(next.command);
        await this.strikeOff(next.id);
        next.resolve(result);
      } catch (error) {
        await this.strikeOff(next.id);
        next.reject(error);
      }
    }
  }

  /** The requests an earlier process took and did not carry out, oldest first; each is struck off with `finished`. */
  async unfinished(): Promise<UnfinishedCommand[]> {
    if (!this.journal) return [];
    await this.load();
    // Handed out once: a second call must not carry them out again. This process's own requests are never among them
    // (one sent while the daemon starts waits in the queue and is carried out from there).
    if (this.handedOut) return [];
    this.handedOut = true;
    return this.earlier.map((entry) => ({ id: entry.id, command: entry.command, requestedAt: new Date(entry.at) }));
  }

  /** Strikes an unfinished request off once the daemon has dealt with it. */
  async finished(id: string): Promise<void> {
    if (!this.earlier.some((entry) => entry.id === id)) return;
    this.earlier = this.earlier.filter((entry) => entry.id !== id);
    await this.save().catch(() => undefined);
  }

  /** No more commands: later submissions, and any still waiting, are refused. */
  close(): void {
    this.closed = true;
    for (const waiting of this.pending.splice(0)) {
      waiting.reject(new DaemonStoppedError());
      void this.strikeOff(waiting.id).catch(() => undefined);
    }
  }

  /** In the list at once (so striking it off later always finds it), then written with it. */
  private record(entry: Written): Promise<void> {
    this.written = [...this.written, entry];
    return this.save();
  }

  private async strikeOff(id: string): Promise<void> {
    if (!this.journal || !this.written.some((entry) => entry.id === id)) return;
    this.written = this.written.filter((entry) => entry.id !== id);
    // A request that stays written down is carried out again after a restart: a close finds its position closed, a
    // pause pauses again (and says so). Neither is worth failing the owner's answer for.
    await this.save().catch(() => undefined);
  }

  /**
   * Reads what earlier processes left, once. Every write waits for it: the journal is written whole, and a write
   * before it would put this process's list in place of theirs (so nothing of this process's can be in what it reads).
   * A failed read is tried again at the next write or call of `unfinished`.
   */
  private load(): Promise<void> {
    const journal = this.journal;
    if (!journal) return Promise.resolve();
    this.loaded ??= journal.state.get(JOURNAL_KEY).then(
      (saved) => {
        this.earlier = Array.isArray(saved) ? saved.filter(isWritten) : [];
      },
      (error: unknown) => {
        this.loaded = undefined;
        throw error;
      },
    );
    return this.loaded;
  }

  /** Writes the earlier processes' requests and this one's, after the write before it. */
  private save(): Promise<void> {
    const journal = this.journal;
    if (!journal) return Promise.resolve();
    const next = this.writing
      .catch(() => undefined)
      .then(() => this.load())
      .then(() => journal.state.put(JOURNAL_KEY, [...this.earlier, ...this.written]));
    this.writing = next;
    return next;
  }
}

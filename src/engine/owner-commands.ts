// The owner's requests (Telegram today, the web page later) wait here until the daemon's loop carries them out
// between its own steps. Nothing outside the loop changes a position or the breakers, so a /close can never race
// the monitor closing the same position, and a /pause can never be overwritten by a trade's booking.
import { DaemonStoppedError } from '../domain/errors.js';
import type { CloseOutcome } from '../ports/control.js';

export type OwnerCommand =
  | { readonly kind: 'pause'; readonly requestedBy: string }
  | { readonly kind: 'resume'; readonly requestedBy: string }
  | { readonly kind: 'close'; readonly positionId: string; readonly requestedBy: string };

export interface CommandResults {
  pause: void;
  resume: void;
  close: CloseOutcome;
}

interface Pending {
  readonly command: OwnerCommand;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export class OwnerCommandQueue {
  private pending: Pending[] = [];
  private closed = false;
  private listener: () => void = () => undefined;

  /** `onSubmit` is called after each submission: the daemon wakes up for it instead of finishing its sleep. */
  onSubmit(listener: () => void): void {
    this.listener = listener;
  }

  /** Queues the command and resolves once the loop has carried it out. */
  submit<K extends OwnerCommand['kind']>(command: Extract<OwnerCommand, { kind: K }>): Promise<CommandResults[K]> {
    if (this.closed) return Promise.reject(new DaemonStoppedError());
    return new Promise<CommandResults[K]>((resolve, reject) => {
      this.pending.push({ command, resolve: resolve as (result: unknown) => void, reject });
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
        next.resolve(await execute(next.command));
      } catch (error) {
        next.reject(error);
      }
    }
  }

  /** No more commands: later submissions, and any still waiting, are refused. */
  close(): void {
    this.closed = true;
    for (const waiting of this.pending.splice(0)) waiting.reject(new DaemonStoppedError());
  }
}

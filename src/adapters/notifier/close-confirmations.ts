// A /close prompt hands out a one-time token for its "Confirm close" button. The token names no position (that
// stays here), works once, and expires; a new /close voids the earlier prompts. So an old button, a double tap
// or a button from before a restart closes nothing.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';

interface Pending {
  readonly positionId: string;
  readonly expiresAt: number;
}

export class CloseConfirmations {
  private pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly newToken: () => string = () => randomBytes(8).toString('hex'),
  ) {}

  /** Starts a new prompt: tokens of earlier prompts stop working. Returns one token per position. */
  issue(positionIds: readonly string[]): Map<string, string> {
    this.pending = new Map();
    const expiresAt = this.clock.now().getTime() + this.ttlMs;
    const tokens = new Map<string, string>();
    for (const positionId of positionIds) {
      const token = this.newToken();
      this.pending.set(token, { positionId, expiresAt });
      tokens.set(positionId, token);
    }
    return tokens;
  }

  /** The position a token confirms, once; undefined for an unknown, used or expired token. */
  take(token: string): string | undefined {
    const entry = this.pending.get(token);
    // Taken before any await by the caller, so two quick taps cannot both pass.
    this.pending.delete(token);
    if (entry === undefined || entry.expiresAt < this.clock.now().getTime()) return undefined;
    // One confirmed close ends the prompt: its other buttons are void too.
    this.pending.clear();
    return entry.positionId;
  }

  /** Voids the prompt a token belongs to; false when it was no longer valid. */
  cancel(token: string): boolean {
    const known = this.pending.has(token);
    if (known) this.pending.clear();
    return known;
  }
}

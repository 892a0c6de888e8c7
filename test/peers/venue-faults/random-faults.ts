// Misbehaviour at random rather than scripted, shared by every venue stand-in: a share of all REST requests meets a
// rate limit, a ban, a server error, a held answer (a client timeout) or a dropped connection. Seeded, so a failing
// run can be repeated. What a refusal looks like on the wire (status, headers, body) is the venue's own: each
// stand-in passes its answers for the kinds it has (a venue without a separate ban has no `ip_ban`).
export { seededRandom } from '../../../src/domain/seeded-random.js';
import { seededRandom } from '../../../src/domain/seeded-random.js';

export type RandomFaultKind = 'rate_limit' | 'ip_ban' | 'server_error' | 'unavailable' | 'timeout' | 'drop_before' | 'drop_after';

export const RANDOM_FAULT_KINDS: readonly RandomFaultKind[] = [
  'rate_limit',
  'ip_ban',
  'server_error',
  'unavailable',
  'timeout',
  'drop_before',
  'drop_after',
];

/** The kinds answered with a refusal in the venue's dialect; the others are the transport's (held, dropped). */
export type RefusalKind = 'rate_limit' | 'ip_ban' | 'server_error' | 'unavailable';

/** A refusal as the venue sends it; `body` undefined leaves it to the stand-in's default for the status. */
export interface FaultAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export type FaultAnswers = Readonly<Partial<Record<RefusalKind, FaultAnswer>>>;

export interface RandomFaultOptions {
  /** Share of matching requests that fail, 0 to 1. */
  readonly rate: number;
  /** Seed of the random draws (default 1). */
  readonly seed?: number;
  /** The kinds drawn from, evenly (default all the venue has). */
  readonly kinds?: readonly RandomFaultKind[];
  /** How long a `timeout` answer is held: longer than the client waits (default 15 s). */
  readonly holdMs?: number;
  /** Which requests may fail (default every REST request). */
  readonly applies?: (method: string, path: string) => boolean;
}

export interface InjectedFault {
  readonly kind: RandomFaultKind;
  readonly method: string;
  readonly path: string;
  /** The venue's clock when it was injected. */
  readonly venueTime: number;
  /** performance.now() when it was injected. */
  readonly at: number;
}

/** What the server does with a request that drew a fault. */
export type FaultAction =
  | ({ readonly type: 'fail' } & FaultAnswer)
  | { readonly type: 'hold'; readonly ms: number }
  | { readonly type: 'drop'; readonly afterProcessing: boolean };

function isRefusal(kind: RandomFaultKind): kind is RefusalKind {
  return kind === 'rate_limit' || kind === 'ip_ban' || kind === 'server_error' || kind === 'unavailable';
}

export class RandomFaults {
  readonly injected: InjectedFault[] = [];
  private readonly random: () => number;
  private readonly kinds: readonly RandomFaultKind[];

  constructor(
    private readonly options: RandomFaultOptions,
    /** The venue's refusals; a refusal kind it has no answer for is never drawn. */
    private readonly answers: FaultAnswers,
  ) {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${options.rate}`);
    this.random = seededRandom(options.seed ?? 1);
    const asked = options.kinds && options.kinds.length > 0 ? options.kinds : RANDOM_FAULT_KINDS;
    this.kinds = asked.filter((kind) => !isRefusal(kind) || answers[kind] !== undefined);
    if (this.kinds.length === 0) throw new RangeError(`this venue has none of the fault kinds asked for: ${asked.join(', ')}`);
  }

  /** The last fault drawn. */
  get last(): InjectedFault | undefined {
    return this.injected[this.injected.length - 1];
  }

  /** Decides the fate of one request; undefined lets it through. */
  draw(method: string, path: string, venueTime: number): FaultAction | undefined {
    if (this.options.applies && !this.options.applies(method, path)) return undefined;
    if (this.random() >= this.options.rate) return undefined;
    const kind = this.kinds[Math.floor(this.random() * this.kinds.length)] as RandomFaultKind;
    this.injected.push({ kind, method, path, venueTime, at: performance.now() });
    if (isRefusal(kind)) return { type: 'fail', ...(this.answers[kind] as FaultAnswer) };
    switch (kind) {
      case 'timeout':
        return { type: 'hold', ms: this.options.holdMs ?? 15_000 };
      case 'drop_before':
        return { type: 'drop', afterProcessing: false };
      case 'drop_after':
        return { type: 'drop', afterProcessing: true };
    }
  }
}

// Misbehaviour at random rather than scripted: a share of all REST requests meets a rate limit, a ban, a server
// error, a held answer (a client timeout) or a dropped connection. Seeded, so a failing run can be repeated.

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

export interface RandomFaultOptions {
  /** Share of matching requests that fail, 0 to 1. */
  readonly rate: number;
  /** Seed of the random draws (default 1). */
  readonly seed?: number;
  /** The kinds drawn from, evenly (default all). */
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
  | { readonly type: 'fail'; readonly status: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly type: 'hold'; readonly ms: number }
  | { readonly type: 'drop'; readonly afterProcessing: boolean };

/** mulberry32: small, fast and good enough to spread faults; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class RandomFaults {
  readonly injected: InjectedFault[] = [];
  private readonly random: () => number;
  private readonly kinds: readonly RandomFaultKind[];

  constructor(private readonly options: RandomFaultOptions) {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${options.rate}`);
    this.random = seededRandom(options.seed ?? 1);
    this.kinds = options.kinds && options.kinds.length > 0 ? options.kinds : RANDOM_FAULT_KINDS;
  }

  /** Decides the fate of one request; undefined lets it through. */
  draw(method: string, path: string, venueTime: number): FaultAction | undefined {
    if (this.options.applies && !this.options.applies(method, path)) return undefined;
    if (this.random() >= this.options.rate) return undefined;
    const kind = this.kinds[Math.floor(this.random() * this.kinds.length)] as RandomFaultKind;
    this.injected.push({ kind, method, path, venueTime, at: performance.now() });
    switch (kind) {
      case 'rate_limit':
        return { type: 'fail', status: 429, headers: { 'Retry-After': '1' } };
      case 'ip_ban':
        return { type: 'fail', status: 418, headers: { 'Retry-After': '2' } };
      case 'server_error':
        return { type: 'fail', status: 500 };
      case 'unavailable':
        return { type: 'fail', status: 503 };
      case 'timeout':
        return { type: 'hold', ms: this.options.holdMs ?? 15_000 };
      case 'drop_before':
        return { type: 'drop', afterProcessing: false };
      case 'drop_after':
        return { type: 'drop', afterProcessing: true };
    }
  }
}

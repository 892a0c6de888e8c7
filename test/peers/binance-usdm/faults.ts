// Scripted misbehaviour for tests: refuse, delay, drop, or mangle the answer of the next matching requests.

export interface RequestMatch {
  /** Exact path, e.g. `/fapi/v1/order`; any path when omitted. */
  readonly path?: string;
  /** HTTP method; any when omitted. */
  readonly method?: string;
}

export interface FailRule extends RequestMatch {
  readonly status: number;
  /** JSON body (or raw text when a string); Binance-like defaults for 429/418/5xx. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** How many matching requests fail (default 1). */
  readonly count?: number;
}

export interface DelayRule extends RequestMatch {
  readonly ms: number;
  readonly count?: number;
}

export interface DropRule extends RequestMatch {
  /** Process the request (e.g. book the order) before dropping the connection. */
  readonly afterProcessing?: boolean;
  readonly count?: number;
}

export interface RewriteRule extends RequestMatch {
  /** Turns the answer the venue would give (parsed JSON) into what is sent instead: a missing field, a NaN price. */
  readonly rewrite: (body: unknown) => unknown;
  readonly count?: number;
}

interface Armed<T> {
  readonly rule: T;
  remaining: number;
}

export function defaultFailureBody(status: number): unknown {
  if (status === 429) {
    return { code: -1003, msg: 'Too many requests; current limit of IP is 2400 requests per minute.' };
  }
  if (status === 418) return { code: -1003, msg: 'Way too many requests; IP banned for a while.' };
  if (status >= 500) return 'Service Unavailable';
  return { code: -1000, msg: 'An unknown error occurred while processing the request.' };
}

function matches(rule: RequestMatch, method: string, path: string): boolean {
  return (rule.path === undefined || rule.path === path) && (rule.method === undefined || rule.method === method);
}

export class FaultPlan {
  private readonly failures: Armed<FailRule>[] = [];
  private readonly delays: Armed<DelayRule>[] = [];
  private readonly drops: Armed<DropRule>[] = [];
  private readonly rewrites: Armed<RewriteRule>[] = [];

  failNext(rule: FailRule): void {
    this.failures.push({ rule, remaining: rule.count ?? 1 });
  }

  delayNext(rule: DelayRule): void {
    this.delays.push({ rule, remaining: rule.count ?? 1 });
  }

  dropNext(rule: DropRule): void {
    this.drops.push({ rule, remaining: rule.count ?? 1 });
  }

  rewriteNext(rule: RewriteRule): void {
    this.rewrites.push({ rule, remaining: rule.count ?? 1 });
  }

  clear(): void {
    this.failures.length = 0;
    this.delays.length = 0;
    this.drops.length = 0;
    this.rewrites.length = 0;
  }

  takeFailure(method: string, path: string): FailRule | undefined {
    return take(this.failures, method, path);
  }

  takeDelay(method: string, path: string): DelayRule | undefined {
    return take(this.delays, method, path);
  }

  takeDrop(method: string, path: string): DropRule | undefined {
    return take(this.drops, method, path);
  }

  takeRewrite(method: string, path: string): RewriteRule | undefined {
    return take(this.rewrites, method, path);
  }
}

function take<T extends RequestMatch>(armed: Armed<T>[], method: string, path: string): T | undefined {
  const index = armed.findIndex((a) => matches(a.rule, method, path));
  if (index < 0) return undefined;
  const entry = armed[index] as Armed<T>;
  entry.remaining -= 1;
  if (entry.remaining <= 0) armed.splice(index, 1);
  return entry.rule;
}

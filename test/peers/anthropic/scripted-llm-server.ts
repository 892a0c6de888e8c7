// The part both local LLM servers share: a node:http server on 127.0.0.1 (random port) that answers each request
// with the next scripted response (or a default), checks the API key, and records what it was sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case names, credential headers removed. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body (the raw text if it was not JSON). */
  readonly body: unknown;
  /** `performance.now()` at arrival, to measure the gaps between retries. */
  readonly receivedAt: number;
  readonly authorized: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What differs between the two APIs: paths, auth header and body shapes. */
export interface LlmProtocol {
  handles(method: string, path: string): boolean;
  isAuthorized(headers: http.IncomingHttpHeaders, apiKey: string): boolean;
  success(text: string, usage: TokenUsage | null, requestBody: unknown): HttpResponse;
  error(status: number, message: string): HttpResponse;
  /** Header names that carry the credential and so are never recorded. */
  readonly credentialHeaders: readonly string[];
}

type Step = (requestBody: unknown) => HttpResponse | Promise<HttpResponse>;

/**
 * A provider misbehaving for a stretch rather than for one request: `down` answers 503, `slow` answers (the default
 * answer) only after `delayMs`, `garbage` answers 200 with prose where the JSON vote belongs.
 */
export type Outage = { readonly kind: 'down' } | { readonly kind: 'slow'; readonly delayMs: number } | { readonly kind: 'garbage' };

export const GARBAGE_ANSWER = 'Honestly the chart looks like a cat walked over the keyboard. Buy? Sell? Both, maybe.';

export const DEFAULT_USAGE: TokenUsage = { inputTokens: 1_200, outputTokens: 150 };
export const HOLD_ANSWER = JSON.stringify({ action: 'HOLD', confidence: 0.4, reasoning: 'No clear setup.' });
/** A 200 whose JSON body stops half-way. */
const TRUNCATED_JSON = '{"id": "broken", "content": [{"type": "te';

export class ScriptedLlmServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Step[] = [];
  private fallback: Step;
  private outage: Outage | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: http.Server;

  protected constructor(
    private readonly protocol: LlmProtocol,
    /** The key requests must carry. */
    readonly apiKey: string,
  ) {
    this.fallback = (body) => protocol.success(HOLD_ANSWER, DEFAULT_USAGE, body);
    this.server = http.createServer((request, response) => void this.handle(request, response));
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** `http://127.0.0.1:PORT` */
  get origin(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** The next request gets a successful answer with `text`; `usage: null` leaves the usage block out. */
  reply(text: string, usage: TokenUsage | null = DEFAULT_USAGE): this {
    this.queue.push((body) => this.protocol.success(text, usage, body));
    return this;
  }

  /** The next request fails with `status`; the body defaults to the API's error shape. */
  fail(status: number, body?: unknown, headers: Readonly<Record<string, string>> = {}): this {
    this.queue.push(() => {
      const base =
        body === undefined ? this.protocol.error(status, `scripted failure ${status}`) : { status, body: JSON.stringify(body) };
      return { ...base, headers: { ...base.headers, ...headers } };
    });
    return this;
  }

  /** The next request gets exactly this status and JSON body: for shapes `reply` does not make. */
  respond(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): this {
    this.queue.push(() => ({ status, body: JSON.stringify(body), headers }));
    return this;
  }

  /** The next request is answered with the default answer only after `ms`, to force a client timeout. */
  delay(ms: number): this {
    this.queue.push(
      (body) =>
        new Promise<HttpResponse>((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve(this.fallback(body));
          }, ms);
          this.timers.add(timer);
        }),
    );
    return this;
  }

  /** The next request gets status 200 with a JSON content type and a body cut off mid-object. */
  garbage(): this {
    this.queue.push(() => ({ status: 200, body: TRUNCATED_JSON }));
    return this;
  }

  /** Every request meets `outage` until it is set back to undefined, ahead of anything scripted. */
  setOutage(outage: Outage | undefined): this {
    this.outage = outage;
    return this;
  }

  /** Forgets scripted steps and recorded requests, and answers HOLD again by default: a clean slate between cases. */
  reset(): this {
    this.outage = undefined;
    this.queue.length = 0;
    this.requests.length = 0;
    this.fallback = (body) => this.protocol.success(HOLD_ANSWER, DEFAULT_USAGE, body);
    return this;
  }

  /** Answers every unscripted request from its body (e.g. from the prompt it carries). */
  answerByDefault(answer: (requestBody: unknown) => { text: string; usage?: TokenUsage | null }): this {
    this.fallback = (body) => {
      const { text, usage } = answer(body);
      return this.protocol.success(text, usage === undefined ? DEFAULT_USAGE : usage, body);
    };
    return this;
  }

  /** The answer for requests once the scripted queue is empty. */
  replyByDefault(text: string, usage: TokenUsage | null = DEFAULT_USAGE): this {
    this.fallback = (body) => this.protocol.success(text, usage, body);
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private duringOutage(outage: Outage, body: unknown): HttpResponse | Promise<HttpResponse> {
    if (outage.kind === 'down') return this.protocol.error(503, 'the service is temporarily unavailable');
    if (outage.kind === 'garbage') return this.protocol.success(GARBAGE_ANSWER, DEFAULT_USAGE, body);
    return new Promise<HttpResponse>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(this.fallback(body));
      }, outage.delayMs);
      this.timers.add(timer);
    });
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text: a test may want to see what was sent.
    }
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    const authorized = this.protocol.isAuthorized(request.headers, this.apiKey);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !this.protocol.credentialHeaders.includes(name)) headers[name] = String(value);
    }
    this.requests.push({ method, path, headers, body, receivedAt: performance.now(), authorized });

    let answer: HttpResponse;
    if (!this.protocol.handles(method, path)) answer = this.protocol.error(404, `no route for ${method} ${path}`);
    else if (!authorized) answer = this.protocol.error(401, 'invalid API key');
    else if (this.outage) answer = await this.duringOutage(this.outage, body);
    else answer = await (this.queue.shift() ?? this.fallback)(body);

    if (response.destroyed) return;
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(answer.body);
  }
}

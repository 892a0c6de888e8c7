// A local Telegram Bot API for tests: real telegraf talks HTTP to it on 127.0.0.1. It records what was sent,
// serves updates the test pushes, checks HTML and Unicode the way Telegram does, and can misbehave on request.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { boundaryOf, parseMultipart, type FormFile } from './multipart.js';
import { parseTelegramHtml } from './telegram-html.js';

export interface RecordedCall {
  readonly seq: number;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly files: Record<string, FormFile>;
  /** When the call arrived, on the test's clock. */
  readonly at: number;
  /** What the server answered: `ok`, the error code it returned, or `hung` when it never answered. */
  readonly outcome: 'ok' | 'hung' | number;
}

export interface SentMessage {
  readonly method: 'sendMessage' | 'sendPhoto' | 'editMessageText';
  readonly messageId: number;
  readonly chatId: string;
  /** The text or caption as sent (HTML when parse mode is HTML). */
  readonly raw: string;
  readonly parseMode?: string;
  /** What a reader sees. */
  readonly visible: string;
  readonly replyMarkup?: unknown;
  readonly photo?: Buffer;
  readonly at: number;
}

export type Fault =
  | { readonly kind: 'rate_limit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'server_error' }
  | { readonly kind: 'bad_request'; readonly description: string }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { readonly kind: 'hang' };

const SENDING_METHODS = ['sendMessage', 'sendPhoto', 'editMessageText'];

/** Telegram's chat object: users have positive ids, groups negative ones. */
function chatOf(chatId: number): Record<string, unknown> {
  return chatId < 0 ? { id: chatId, type: 'group', title: 'Trading desk' } : { id: chatId, type: 'private', first_name: 'Owner' };
}
const MESSAGE_LIMIT = 4096;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CAPTION_LIMIT = 1024;

export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMessage[] = [];
  private readonly events = new EventEmitter();
  private readonly updates: Record<string, unknown>[] = [];
  private readonly faults: { fault: Fault; methods: readonly string[]; skip: number }[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 100;
  private seq = 0;
  private server: Server;

  private constructor(
    readonly token: string,
    private readonly timeSource: () => number,
    private port: number,
  ) {
    this.server = this.createHttpServer();
  }

  static async start(options: { token?: string; timeSource?: () => number } = {}): Promise<FakeBotApi> {
    const api = new FakeBotApi(options.token ?? '123456:TEST-token', options.timeSource ?? (() => Date.now()), 0);
    await api.listen();
    return api;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next `count` calls of `methods` fail with `fault`, after `skip` calls that go through. */
  failNext(count: number, fault: Fault, methods: readonly string[] = SENDING_METHODS, skip = 0): void {
    for (let n = 0; n < count; n += 1) this.faults.push({ fault, methods, skip });
  }

  /** Stops listening: clients get "connection refused" until `comeBack`. */
  async goDown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  async comeBack(): Promise<void> {
    this.server = this.createHttpServer();
    await this.listen();
  }

  async close(): Promise<void> {
    this.events.emit('closing');
    if (this.server.listening) await this.goDown();
  }

  /**
   * A text message from a user; a leading `/word` is marked as a command, as Telegram does. A negative chat id is a
   * group (as on Telegram), where `from` says which member wrote; in a private chat the user is the chat.
   */
  pushMessage(chatId: number, text: string, from: { id?: number; username?: string } = {}): number {
    const command = /^\/[a-z_]+(@[a-z_]+)?/i.exec(text);
    return this.pushUpdate({
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(this.timeSource() / 1000),
        chat: chatOf(chatId),
        from: { id: from.id ?? chatId, is_bot: false, first_name: 'Owner', username: from.username ?? 'owner' },
        text,
        ...(command === null ? {} : { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
      },
    });
  }

  /** A press on an inline button of message `messageId`. */
  pushCallback(chatId: number, data: string, messageId: number, from: { id?: number } = {}): number {
    return this.pushUpdate({
      callback_query: {
        id: `cb-${this.nextUpdateId}`,
        from: { id: from.id ?? chatId, is_bot: false, first_name: 'Owner' },
        message: { message_id: messageId, date: Math.floor(this.timeSource() / 1000), chat: chatOf(chatId), text: 'prompt' },
        chat_instance: 'instance',
        data,
      },
    });
  }

  pushUpdate(update: Record<string, unknown>): number {
    const updateId = this.nextUpdateId++;
    this.updates.push({ update_id: updateId, ...update });
    this.events.emit('update');
    return updateId;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves once `predicate` holds for the recorded calls; the time limit only turns a hang into a clear failure. */
  async waitFor(predicate: (api: FakeBotApi) => boolean, description: string, limitMs = 10_000): Promise<void> {
    if (predicate(this)) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!predicate(this)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${description}; calls: ${this.calls.map((call) => `${call.method}:${call.outcome}`).join(', ')}`));
      }, limitMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('call', check);
      };
      this.events.on('call', check);
    });
  }

  private createHttpServer(): Server {
    return createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.url ?? '');
    if (match === null) return this.answer(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method = ''] = match;
    const { params, files } = this.readParams(request.headers['content-type'] ?? '', body);
    const record = (outcome: RecordedCall['outcome']): void => {
      const call: RecordedCall = { seq: ++this.seq, method, params, files, at: this.timeSource(), outcome };
      this.calls.push(call);
      this.events.emit('call', call);
    };
    if (token !== this.token) {
      record(401);
      return this.answer(response, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const faultIndex = this.faults.findIndex((entry) => entry.methods.includes(method));
    const entry = this.faults[faultIndex];
    if (entry !== undefined && entry.skip > 0) {
      entry.skip -= 1;
    } else if (entry !== undefined) {
      this.faults.splice(faultIndex, 1);
      return this.answerFault(response, entry.fault, record);
    }
    if (method === 'getUpdates') return this.serveUpdates(response, params, record);
    const result = this.dispatch(method, params, files);
    if ('error' in result) {
      record(400);
      return this.answer(response, 400, { ok: false, error_code: 400, description: `Bad Request: ${result.error}` });
    }
    record('ok');
    return this.answer(response, 200, { ok: true, result: result.value });
  }

  private readParams(contentType: string, body: Buffer): { params: Record<string, unknown>; files: Record<string, FormFile> } {
    if (contentType.startsWith('multipart/form-data')) {
      const form = parseMultipart(body, boundaryOf(contentType) ?? '');
      return { params: { ...form.fields }, files: form.files };
    }
    const text = body.toString('utf8');
    return { params: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), files: {} };
  }

  private answerFault(response: ServerResponse, fault: Fault, record: (outcome: RecordedCall['outcome']) => void): void {
    if (fault.kind === 'hang') {
      record('hung');
      return;
    }
    if (fault.kind === 'rate_limit') {
      record(429);
      return this.answer(response, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${fault.retryAfterSeconds}`,
        parameters: { retry_after: fault.retryAfterSeconds },
      });
    }
    if (fault.kind === 'server_error') {
      record(500);
      return this.answer(response, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    }
    record(400);
    return this.answer(response, 400, { ok: false, error_code: 400, description: `Bad Request: ${fault.description}` });
  }

  private dispatch(method: string, params: Record<string, unknown>, files: Record<string, FormFile>): { value: unknown } | { error: string } {
    switch (method) {
      case 'getMe':
        return { value: { id: 123456, is_bot: true, first_name: 'Test bot', username: 'test_bot' } };
      case 'sendMessage':
      case 'editMessageText':
        return this.acceptMessage(method, params, String(params['text'] ?? ''), MESSAGE_LIMIT);
      case 'sendPhoto': {
        const photo = files['photo'];
        if (photo === undefined) return { error: 'there is no photo in the request' };
        return this.acceptMessage(method, params, String(params['caption'] ?? ''), CAPTION_LIMIT, photo.data);
      }
      default:
        // answerCallbackQuery, deleteWebhook, setMyCommands and the like: recorded, and fine.
        return { value: true };
    }
  }

  private acceptMessage(
    method: SentMessage['method'],
    params: Record<string, unknown>,
    raw: string,
    limit: number,
    photo?: Buffer,
  ): { value: unknown } | { error: string } {
    // JSON can carry half an emoji (a lone surrogate); Telegram refuses such text.
    if (LONE_SURROGATE.test(raw)) return { error: 'text must be encoded in UTF-8' };
    const parseMode = typeof params['parse_mode'] === 'string' ? params['parse_mode'] : undefined;
    let visible = raw;
    if (parseMode === 'HTML') {
      const checked = parseTelegramHtml(raw);
      if (!checked.ok) return { error: `can't parse entities: ${checked.error}` };
      visible = checked.text;
    }
    if (photo === undefined && visible.trim() === '') return { error: 'message text is empty' };
    if (visible.length > limit) return { error: photo === undefined ? 'message is too long' : 'message caption is too long' };
    const chatId = String(params['chat_id']);
    const messageId = method === 'editMessageText' ? Number(params['message_id']) : this.nextMessageId++;
    const replyMarkup = typeof params['reply_markup'] === 'string' ? JSON.parse(params['reply_markup']) : params['reply_markup'];
    this.sent.push({
      method,
      messageId,
      chatId,
      raw,
      visible,
      at: this.timeSource(),
      ...(parseMode === undefined ? {} : { parseMode }),
      ...(replyMarkup === undefined ? {} : { replyMarkup }),
      ...(photo === undefined ? {} : { photo }),
    });
    const date = Math.floor(this.timeSource() / 1000);
    return { value: { message_id: messageId, date, chat: chatOf(Number(chatId)), ...(photo === undefined ? { text: visible } : { caption: visible }) } };
  }

  /** Long polling: answers at once when updates wait, else holds the request until one arrives or the timeout. */
  private serveUpdates(response: ServerResponse, params: Record<string, unknown>, record: (outcome: 'ok') => void): void {
    const offset = Number(params['offset'] ?? 0);
    if (offset > 0) this.updates.splice(0, this.updates.filter((update) => Number(update['update_id']) < offset).length);
    const timeoutMs = Math.min(Number(params['timeout'] ?? 0), 50) * 1000;
    const reply = (): void => {
      cleanup();
      record('ok');
      const limit = Number(params['limit'] ?? 100);
      this.answer(response, 200, { ok: true, result: this.updates.slice(0, limit) });
    };
    const timer = setTimeout(reply, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      this.events.off('update', reply);
      this.events.off('closing', reply);
    };
    if (this.updates.length > 0 || timeoutMs === 0) return reply();
    this.events.once('update', reply);
    this.events.once('closing', reply);
    response.on('close', cleanup);
  }

  private answer(response: ServerResponse, status: number, body: unknown): void {
    if (response.writableEnded || response.destroyed) return;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

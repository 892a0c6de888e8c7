// A local server speaking the Anthropic Messages API (POST /v1/messages), scriptable per request.
import type http from 'node:http';
import type { HttpResponse, LlmProtocol, TokenUsage } from './scripted-llm-server.js';
import { ScriptedLlmServer } from './scripted-llm-server.js';

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

let messageCounter = 0;

const anthropicProtocol: LlmProtocol = {
  credentialHeaders: ['x-api-key', 'authorization'],
  handles: (method, path) => method === 'POST' && path === '/v1/messages',
  // The API takes the key as `x-api-key`; SDK 1.x sends it as `Authorization: Bearer`. Either is accepted.
  isAuthorized: (headers: http.IncomingHttpHeaders, apiKey) =>
    headers['x-api-key'] === apiKey || headers.authorization === `Bearer ${apiKey}`,
  success(text: string, usage: TokenUsage | null, requestBody: unknown): HttpResponse {
    messageCounter += 1;
    const model = (requestBody as { model?: unknown } | undefined)?.model;
    return {
      status: 200,
      body: JSON.stringify({
        id: `msg_local_${messageCounter}`,
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text }],
        model: typeof model === 'string' ? model : 'unknown',
        stop_reason: 'end_turn',
        stop_sequence: null,
        ...(usage ? { usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } } : {}),
      }),
    };
  },
  error(status: number, message: string): HttpResponse {
    return {
      status,
      body: JSON.stringify({ type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } }),
    };
  },
};

export class AnthropicServer extends ScriptedLlmServer {
  static readonly DEFAULT_KEY = 'sk-ant-local-test-key-0001';

  private constructor(apiKey: string) {
    super(anthropicProtocol, apiKey);
  }

  static async start(options: { apiKey?: string } = {}): Promise<AnthropicServer> {
    const server = new AnthropicServer(options.apiKey ?? AnthropicServer.DEFAULT_KEY);
    await server.listen();
    return server;
  }

  /** The SDK appends /v1/messages to this. */
  get baseURL(): string {
    return this.origin;
  }
}

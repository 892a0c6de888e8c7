// A local server speaking the OpenAI Chat Completions API (POST {base}/chat/completions), as DeepSeek and xAI do.
import type http from 'node:http';
import type { HttpResponse, LlmProtocol, TokenUsage } from '../anthropic/scripted-llm-server.js';
import { ScriptedLlmServer } from '../anthropic/scripted-llm-server.js';

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  500: 'server_error',
};

let completionCounter = 0;

const openAiProtocol: LlmProtocol = {
  credentialHeaders: ['authorization', 'x-api-key'],
  handles: (method, path) => method === 'POST' && path.endsWith('/chat/completions'),
  isAuthorized: (headers: http.IncomingHttpHeaders, apiKey) => headers.authorization === `Bearer ${apiKey}`,
  success(text: string, usage: TokenUsage | null, requestBody: unknown): HttpResponse {
    completionCounter += 1;
    const model = (requestBody as { model?: unknown } | undefined)?.model;
    return {
      status: 200,
      body: JSON.stringify({
        id: `chatcmpl-local-${completionCounter}`,
        object: 'chat.completion',
        created: 1_760_000_000,
        model: typeof model === 'string' ? model : 'unknown',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        ...(usage
          ? {
              usage: {
                prompt_tokens: usage.inputTokens,
                completion_tokens: usage.outputTokens,
                total_tokens: usage.inputTokens + usage.outputTokens,
              },
            }
          : {}),
      }),
    };
  },
  error(status: number, message: string): HttpResponse {
    const code = status === 401 ? 'invalid_api_key' : null;
    return { status, body: JSON.stringify({ error: { message, type: ERROR_TYPES[status] ?? 'server_error', code } }) };
  },
};

export class OpenAiServer extends ScriptedLlmServer {
  static readonly DEFAULT_KEY = 'sk-local-test-key-0002';

  private constructor(apiKey: string) {
    super(openAiProtocol, apiKey);
  }

  static async start(options: { apiKey?: string } = {}): Promise<OpenAiServer> {
    const server = new OpenAiServer(options.apiKey ?? OpenAiServer.DEFAULT_KEY);
    await server.listen();
    return server;
  }

  /** Like `https://api.x.ai/v1`: the SDK appends /chat/completions. */
  get baseURL(): string {
    return `${this.origin}/v1`;
  }
}

// Plausible model answers for stub providers in backtests and benchmarks: read the price and the regime from the
// prompt and answer as a simple trend follower would, with realistic token counts. Deterministic for a given prompt.
import type { TokenUsage } from './anthropic/scripted-llm-server.js';

/** The user message of an Anthropic Messages or OpenAI Chat Completions request body. */
export function userTextOf(body: unknown): string {
  const messages = (body as { messages?: { role: string; content: unknown }[] } | undefined)?.messages ?? [];
  const user = messages.filter((message) => message.role === 'user').pop();
  if (typeof user?.content === 'string') return user.content;
  if (Array.isArray(user?.content)) return user.content.map((part: { text?: string }) => part.text ?? '').join('');
  return '';
}

/** Input tokens as the providers count them, roughly: a token per 3.5 characters of prompt. */
export function tokensFor(body: unknown, outputText: string): TokenUsage {
  const system = (body as { system?: unknown } | undefined)?.system;
  const chars = JSON.stringify((body as { messages?: unknown } | undefined)?.messages ?? '').length + (typeof system === 'string' ? system.length : 0);
  return { inputTokens: Math.ceil(chars / 3.5), outputTokens: Math.ceil(outputText.length / 3.5) };
}

export function marketAwareAnswer(body: unknown): { text: string; usage: TokenUsage } {
  const prompt = userTextOf(body);
  if (/should_exit/.test(JSON.stringify(body))) {
    const text = JSON.stringify({ should_exit: false, confidence: 0.6, reason: 'The move is intact.' });
    return { text, usage: tokensFor(body, text) };
  }
  const price = Number(/price ([\d.]+) \|/.exec(prompt)?.[1]);
  const regime = /regime (\w+) (\w+)/.exec(prompt);
  const side = regime?.[1] === 'TRENDING' ? (regime[2] === 'up' ? 'LONG' : regime[2] === 'down' ? 'SHORT' : undefined) : undefined;
  if (!side || !Number.isFinite(price)) {
    const text = JSON.stringify({ action: 'HOLD', confidence: 0.55, reasoning: 'No trend worth following.' });
    return { text, usage: tokensFor(body, text) };
  }
  const long = side === 'LONG';
  const stop = long ? price * 0.95 : price * 1.05;
  const target = long ? price * 1.1 : price * 0.9;
  const text = JSON.stringify({
    action: side,
    confidence: 0.8,
    leverage: 3,
    stop_loss_pct: 0.05,
    entry_price: price,
    stop_loss_price: stop,
    take_profit_price: target,
    risk_reward: 2,
    reasoning: `Trend ${long ? 'up' : 'down'} across timeframes.`,
    key_factors: ['trend', 'regime'],
  });
  return { text, usage: tokensFor(body, text) };
}

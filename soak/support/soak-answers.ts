// What the local AI providers answer during a soak: every voice reads the same prompt the same way, so they agree,
// and they propose a trade on most symbols and candles (a trend where the regime shows one, otherwise a side drawn
// from the candle itself) with tight stops, so positions open, stop out and close often.
import { tokensFor, userTextOf } from '../../test/peers/market-aware-answers.js';
import type { TokenUsage } from '../../test/peers/anthropic/scripted-llm-server.js';

export const SOAK_STOP_LOSS_PCT = 0.015;
const REWARD_RATIO = 2;

/** FNV-1a: a stable number from a text, so a candle gets the same answer from every voice and on every rerun. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function answer(body: unknown, payload: Record<string, unknown>): { text: string; usage: TokenUsage } {
  const text = JSON.stringify(payload);
  return { text, usage: tokensFor(body, text) };
}

export interface SoakAnswerOptions {
  /** Whether an exit opinion may say exit (default yes); a scenario that must see a position reach its exits says no. */
  readonly exits?: boolean;
}

export function soakAnswer(body: unknown, options: SoakAnswerOptions = {}): { text: string; usage: TokenUsage } {
  const prompt = userTextOf(body);
  const candle = /^(\S+), last closed 15m candle opened ([^\n]+) UTC/m.exec(prompt)?.[0] ?? prompt.slice(0, 200);
  const draw = hashOf(candle);
  if (/should_exit/.test(JSON.stringify(body))) {
    // Keyed by the whole prompt (the position and its price), so one candle does not close every entry made on it.
    const exit = options.exits !== false && hashOf(prompt) % 6 === 0;
    return answer(body, { should_exit: exit, confidence: 0.8, reason: exit ? 'Momentum has faded.' : 'The move is intact.' });
  }
  const price = Number(/price ([\d.]+) \|/.exec(prompt)?.[1]);
  const regime = /regime (\w+) (\w+)/.exec(prompt);
  const trend = regime?.[1] === 'TRENDING' ? regime[2] : undefined;
  const side = trend === 'up' ? 'LONG' : trend === 'down' ? 'SHORT' : draw % 10 < 4 ? 'LONG' : draw % 10 < 8 ? 'SHORT' : undefined;
  if (!side || !Number.isFinite(price) || price <= 0) {
    return answer(body, { action: 'HOLD', confidence: 0.5, reasoning: 'Nothing worth a trade.' });
  }
  const direction = side === 'LONG' ? 1 : -1;
  const stop = price * (1 - direction * SOAK_STOP_LOSS_PCT);
  const target = price * (1 + direction * SOAK_STOP_LOSS_PCT * REWARD_RATIO);
  return answer(body, {
    action: side,
    confidence: 0.8,
    leverage: 5,
    stop_loss_pct: SOAK_STOP_LOSS_PCT,
    entry_price: price,
    stop_loss_price: stop,
    take_profit_price: target,
    risk_reward: REWARD_RATIO,
    reasoning: `Soak test: ${side === 'LONG' ? 'long' : 'short'} on this candle.`,
    key_factors: ['soak'],
  });
}

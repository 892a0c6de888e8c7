import { describe, expect, it } from 'vitest';
import { extractJsonObject, NON_JSON_NUMBER_PREFIX } from '../../../../../src/adapters/analyst/ai/json-extraction.js';

function extracted(answer: string): Record<string, unknown> {
  const result = extractJsonObject(answer);
  if (!result.ok) throw new Error(`expected an object, got: ${result.reason}`);
  return result.value;
}

describe('finding the JSON object in an answer', () => {
  it('when the answer is the object alone, then it is returned as written', () => {
    expect(extracted('{"action":"HOLD","confidence":0.3}')).toEqual({ action: 'HOLD', confidence: 0.3 });
  });

  it('when the object sits in a ```json fence after prose, then the fenced object is returned', () => {
    const answer = 'Here is my analysis.\n```json\n{"action": "LONG", "confidence": 0.8}\n```\nGood luck.';

    expect(extracted(answer)).toEqual({ action: 'LONG', confidence: 0.8 });
  });

  it('when a string inside the object contains braces, then the object still ends at its own closing brace', () => {
    const answer = 'Sure: {"reasoning": "price left the {range} and closed \\"above\\" it", "confidence": 0.5} — done';

    expect(extracted(answer)).toEqual({ reasoning: 'price left the {range} and closed "above" it', confidence: 0.5 });
  });

  it('when prose contains a brace pair that is not JSON, then the object that parses is the answer', () => {
    const answer = 'I weighed {trend, momentum} carefully. {"action":"HOLD","confidence":0.2} and that is all.';

    expect(extracted(answer)).toEqual({ action: 'HOLD', confidence: 0.2 });
  });

  it('when the model writes a LONG, thinks again and gives a HOLD as its final answer, then the answer is ambiguous and refused', () => {
    const answer = '{"action":"LONG","confidence":0.9}\nWait, the 4h chart disagrees. Final answer:\n```json\n{"action":"HOLD","confidence":0.6}\n```';

    expect(extractJsonObject(answer)).toEqual({ ok: false, reason: 'the answer holds more than one JSON object; the rules ask for one' });
  });

  it('when the withdrawing HOLD does not parse (single quotes, or cut off), then the LONG before it is still refused', () => {
    const long = '{"action":"LONG","confidence":0.81}';
    for (const after of ["\nWait. Final answer: {'action': 'HOLD', 'confidence': 0.4}", '\nWait, I withdraw that. Final answer: {"action":"HOLD","confidence":0.4,"reasoning":"4h RSI 78, the move is']) {
      expect(extractJsonObject(long + after), after).toEqual({ ok: false, reason: 'the answer holds more than one JSON object; the rules ask for one' });
    }
  });

  it('when the answer holds only a JSON array, then there is no object', () => {
    const result = extractJsonObject('[1, 2, 3]');

    expect(result).toEqual({ ok: false, reason: 'the answer contains no JSON object' });
  });

  it('when the object is cut off, then the reason says none parses', () => {
    const result = extractJsonObject('{"action": "LONG", "confidence": 0.8');

    expect(result).toEqual({ ok: false, reason: 'the answer contains no JSON object that parses' });
  });

  it('when the outer object does not parse (a trailing comma), then an object nested in it is not taken for the answer', () => {
    const answer = '{"action":"HOLD","confidence":0.4,"if_breakout":{"action":"LONG","confidence":0.9,"stop_loss_pct":0.06},}';

    expect(extractJsonObject(answer)).toEqual({ ok: false, reason: 'the answer contains no JSON object that parses' });
  });

  it('when the answer is cut off inside the outer object, then an object nested in it is not taken for the answer', () => {
    const answer = '{"action":"HOLD","confidence":0.4,"if_breakout":{"action":"LONG","confidence":0.9},"reasoning":"the range';

    expect(extractJsonObject(answer)).toEqual({ ok: false, reason: 'the answer contains no JSON object that parses' });
  });

  it('when the answer is blank, then the reason says it is empty', () => {
    expect(extractJsonObject('  \n ')).toEqual({ ok: false, reason: 'the answer is empty' });
  });

  it('when a number is written as a bare NaN or -Infinity, then the object parses with those values marked', () => {
    const value = extracted('{"confidence": NaN, "leverage": -Infinity, "note": "NaN stays text"}');

    expect(value).toEqual({
      confidence: `${NON_JSON_NUMBER_PREFIX}NaN`,
      leverage: `${NON_JSON_NUMBER_PREFIX}-Infinity`,
      note: 'NaN stays text',
    });
  });
});

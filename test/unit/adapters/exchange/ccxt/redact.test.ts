import { describe, expect, it } from 'vitest';
import { redact } from '../../../../../src/adapters/exchange/ccxt/redact.js';

describe('redact', () => {
  it('when a log text holds the key, the secret and a signed URL, then all three are gone and the path stays', () => {
    const key = 'AbCdEf0123456789key';
    const secret = 'ZyXwVu9876543210secret';
    const text = `POST https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&timestamp=1&signature=9f86d081 key=${key} s=${secret}`;

    const clean = redact(text, [key, secret]);

    expect(clean).toBe('POST https://fapi.binance.com/fapi/v1/order?[query omitted] key=[redacted] s=[redacted]');
  });

  it('when a signature travels in a form body, then its value is removed', () => {
    expect(redact('body: symbol=BTCUSDT&signature=abc123def', [])).toBe('body: symbol=BTCUSDT&signature=[redacted]');
  });

  it('when a header dump shows the API key header, then its value is removed', () => {
    expect(redact('{"X-MBX-APIKEY":"k3y-value-123"}', [])).toBe('{"X-MBX-APIKEY":"[redacted]"}');
  });

  it('when a configured secret is implausibly short, then ordinary words are left alone', () => {
    expect(redact('the order was filled', ['the'])).toBe('the order was filled');
  });
});

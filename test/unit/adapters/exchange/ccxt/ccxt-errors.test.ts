import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { isUnknownOrder, translateCcxtError } from '../../../../../src/adapters/exchange/ccxt/ccxt-errors.js';
import { parseRetryAfter, parseVenueBody, rememberResponse } from '../../../../../src/adapters/exchange/ccxt/venue-response.js';
import { MarketClosedError, OperationalError, RejectedError, TemporaryError } from '../../../../../src/domain/errors.js';

const context = { operation: 'placeEntry', symbol: 'BTC/USDT:USDT' };

describe('translateCcxtError', () => {
  it.each([
    ['a network failure', new ccxt.NetworkError('binanceusdm GET http://x/fapi/v1/time fetch failed'), TemporaryError],
    ['a request timeout', new ccxt.RequestTimeout('binanceusdm POST http://x/fapi/v1/order request timed out'), TemporaryError],
    ['a venue outage', new ccxt.ExchangeNotAvailable('binanceusdm 503 Service Unavailable'), TemporaryError],
    ['maintenance', new ccxt.OnMaintenance('binanceusdm system maintenance'), OperationalError],
    ['a refused key', new ccxt.AuthenticationError('binanceusdm {"code":-2015}'), OperationalError],
    ['a missing permission', new ccxt.PermissionDenied('binanceusdm not allowed'), OperationalError],
    ['insufficient funds', new ccxt.InsufficientFunds('binanceusdm no money'), RejectedError],
    ['an invalid order', new ccxt.InvalidOrder('binanceusdm bad order'), RejectedError],
    ['an unknown order', new ccxt.OrderNotFound('binanceusdm no such order'), RejectedError],
  ])('when ccxt reports %s, then it becomes a %s', (_what, error, expected) => {
    expect(translateCcxtError(error, context)).toBeInstanceOf(expected);
  });

  it.each([
    [-2019, RejectedError, /insufficient margin/],
    [-2022, RejectedError, /reduce-only order rejected/],
    [-4164, RejectedError, /minimum notional/],
    [-2011, RejectedError, /unknown order/],
    [-4116, RejectedError, /duplicate client order id/],
    [-1022, OperationalError, /signature was refused/],
    [-1001, TemporaryError, /internal error/],
  ])('when a generic ExchangeError carries venue code %i, then the code decides the kind', (code, expected, reason) => {
    const error = new ccxt.ExchangeError(`binanceusdm {"code":${code},"msg":"venue words"}`);

    const translated = translateCcxtError(error, context);

    expect(translated).toBeInstanceOf(expected);
    expect(translated.message).toMatch(reason);
    expect(translated.message).toContain(`venue ${code}: venue words`);
    expect(translated.message.startsWith('placeEntry BTC/USDT:USDT failed:')).toBe(true);
  });

  it('when a 429 carried Retry-After: 7, then the TemporaryError waits 7 s even though the body has a code', () => {
    const error = new ccxt.DDoSProtection('binanceusdm 429 Too Many Requests {"code":-1003,"msg":"slow down"}');
    rememberResponse(error, 429, { 'Retry-After': '7' }, '{"code":-1003,"msg":"slow down"}');

    const translated = translateCcxtError(error, context);

    expect(translated).toBeInstanceOf(TemporaryError);
    expect((translated as TemporaryError).retryAfterMs).toBe(7_000);
    expect(translated.message).toMatch(/Retry after 7 s/);
  });

  it('when a 429 had no Retry-After, then the TemporaryError has no wait rather than a made-up one', () => {
    const translated = translateCcxtError(new ccxt.DDoSProtection('binanceusdm 429'), context);

    expect(translated).toBeInstanceOf(TemporaryError);
    expect((translated as TemporaryError).retryAfterMs).toBeUndefined();
  });

  it('when a 5xx arrives as a plain ExchangeError, then the remembered status makes it temporary', () => {
    const error = new ccxt.ExchangeError('binanceusdm 502 Bad Gateway');
    rememberResponse(error, 502, {}, 'Bad Gateway');

    expect(translateCcxtError(error, context)).toBeInstanceOf(TemporaryError);
  });

  it('when the error is already a domain error, then it passes through unchanged', () => {
    const original = new RejectedError('already translated');

    expect(translateCcxtError(original, context)).toBe(original);
  });

  it('when the message embeds the secret and a signed URL, then neither survives', () => {
    const secret = 'super-secret-value-123456';
    const error = new ccxt.RequestTimeout(
      `binanceusdm GET http://127.0.0.1:1/fapi/v3/account?timestamp=1&signature=abcdef0123 timed out ${secret}`,
    );

    const message = translateCcxtError(error, { ...context, secrets: [secret] }).message;

    expect(message).not.toContain(secret);
    expect(message).not.toContain('abcdef0123');
    expect(message).toContain('/fapi/v3/account?[query omitted]');
  });
});

describe('isUnknownOrder', () => {
  it('when the venue says -2013 or -2011, then the order is unknown; other codes are not', () => {
    expect(isUnknownOrder(new ccxt.ExchangeError('binanceusdm {"code":-2013,"msg":"Order does not exist."}'))).toBe(true);
    expect(isUnknownOrder(new ccxt.ExchangeError('binanceusdm {"code":-2011,"msg":"Unknown order sent."}'))).toBe(true);
    expect(isUnknownOrder(new ccxt.ExchangeError('binanceusdm {"code":-2019,"msg":"Margin is insufficient."}'))).toBe(false);
    expect(isUnknownOrder(new ccxt.OrderNotFound('no code at all'))).toBe(true);
  });
});

describe('venue response parsing', () => {
  it('when the venue says -4140, then the market is closed to new positions; another refusal is not', () => {
    const closed = translateCcxtError(new ccxt.InvalidOrder('binanceusdm {"code":-4140,"msg":"Invalid symbol status for opening position."}'), context);
    const margin = translateCcxtError(new ccxt.InsufficientFunds('binanceusdm {"code":-2019,"msg":"Margin is insufficient."}'), context);

    expect(closed).toBeInstanceOf(MarketClosedError);
    expect(closed.message).toMatch(/reduce-only orders only \(delisting or settlement\)/);
    expect(margin).toBeInstanceOf(RejectedError);
    expect(margin).not.toBeInstanceOf(MarketClosedError);
  });

  it('reads Retry-After seconds and ignores what is not a number of seconds', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('finds the venue code and message inside a ccxt message', () => {
    expect(parseVenueBody('binanceusdm {"code":-4164,"msg":"too small"}')).toEqual({ code: -4164, message: 'too small' });
    expect(parseVenueBody('binanceusdm 503 Service Unavailable')).toEqual({});
    expect(parseVenueBody('binanceusdm {not json}')).toEqual({});
  });
});

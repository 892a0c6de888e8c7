import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ccxtErrors, loadExchangeClass } from '../../../../../src/adapters/exchange/ccxt/ccxt-library.js';
import { OperationalError } from '../../../../../src/domain/errors.js';

describe('ccxt library loading', () => {
  it('when an exchange is loaded by id, then it is the very websocket class the package entry offers', async () => {
    const Class = await loadExchangeClass('binanceusdm');

    expect(Class).toBe(ccxt.pro.binanceusdm);
    const client = new Class({});
    expect(client.id).toBe('binanceusdm');
    expect(typeof client.watchTicker).toBe('function');
  });

  it('when the error classes are loaded alone, then they are the classes ccxt throws', () => {
    expect(ccxtErrors.NetworkError).toBe(ccxt.NetworkError);
    expect(ccxtErrors.OrderNotFound).toBe(ccxt.OrderNotFound);
    expect(new ccxt.RequestTimeout('timed out')).toBeInstanceOf(ccxtErrors.NetworkError);
  });

  it.each([
    ['an id ccxt does not know', 'nosuchvenue'],
    ['an id that is a path', '../binanceusdm'],
    ['an empty id', ''],
  ])('when given %s, then it refuses with a message naming the id', async (_what, id) => {
    const loading = loadExchangeClass(id);

    await expect(loading).rejects.toBeInstanceOf(OperationalError);
    await expect(loading).rejects.toThrow(`exchange "${id}" is not supported by ccxt pro`);
  });
});

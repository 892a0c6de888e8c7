import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ccxtErrors, loadExchangeClass } from '../../../../../src/adapters/exchange/ccxt/ccxt-library.js';
import { SUPPORTED_VENUES } from '../../../../../src/adapters/exchange/ccxt/venues/index.js';
import { OperationalError } from '../../../../../src/domain/errors.js';

describe('ccxt library loading', () => {
  it('when an exchange is loaded by id, then it is the very websocket class the package entry offers', async () => {
    const Class = await loadExchangeClass('binanceusdm');

    expect(Class).toBe(ccxt.pro.binanceusdm);
    const client = new Class({});
    expect(client.id).toBe('binanceusdm');
    expect(typeof client.watchTicker).toBe('function');
  });

  it.each(SUPPORTED_VENUES)('when the venue %s is loaded alone, then it is the websocket class ccxt offers for that id', async (id) => {
    const Class = await loadExchangeClass(id);

    expect(Class).toBe(ccxt.pro[id]);
    const client = new Class({});
    // The REST class ccxt's entry makes for the same id is the same venue. ccxt's pro binanceusdm does not extend its
    // REST binanceusdm, so the two are compared by what they are, not by class: the websocket class has every REST
    // endpoint of the other, and its websocket ones besides.
    const rest = new ccxt[id]();
    expect(client.id).toBe(rest.id);
    expect(client.urls['api']).toMatchObject(rest.urls['api'] as object);
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

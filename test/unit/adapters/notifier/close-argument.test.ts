import { describe, expect, it } from 'vitest';
import { baseOf, parseCloseArgument } from '../../../../src/adapters/notifier/close-argument.js';

describe('what /close names', () => {
  it('when nothing or "all" follows, then every open position', () => {
    for (const payload of ['', '  ', 'all', 'ALL']) expect(parseCloseArgument(payload)).toEqual({ kind: 'all' });
  });

  it('when a coin, a pair or a venue symbol follows, then that market, by its coin', () => {
    for (const payload of ['eth', 'ETH', ' ETHUSDT ', 'ETH/USDT', 'eth/usdt:usdt', 'ETHUSDC']) expect(parseCloseArgument(payload), payload).toEqual({ kind: 'market', base: 'ETH' });
    expect(parseCloseArgument('1000PEPEUSDT')).toEqual({ kind: 'market', base: '1000PEPE' });
    expect(parseCloseArgument('USDT')).toEqual({ kind: 'market', base: 'USDT' });
    // USD ends coins' own names: it is not stripped as a quote.
    expect(parseCloseArgument('SUSD')).toEqual({ kind: 'market', base: 'SUSD' });
    expect(parseCloseArgument('TUSDUSDT')).toEqual({ kind: 'market', base: 'TUSD' });
  });

  it('when something that cannot be a market follows, then it is invalid, as written', () => {
    expect(parseCloseArgument('50%')).toEqual({ kind: 'invalid', text: '50%' });
    expect(parseCloseArgument('eth btc')).toEqual({ kind: 'invalid', text: 'eth btc' });
  });

  it('a venue symbol\'s coin', () => {
    expect(baseOf('BTC/USDT:USDT')).toBe('BTC');
    expect(baseOf('1000PEPE/USDT:USDT')).toBe('1000PEPE');
  });
});

import { describe, expect, it } from 'vitest';
import { clientOrderId, currentStopId, parseClientOrderId } from '../../../src/domain/order-ids.js';

describe('client order ids', () => {
  it('when a stop is first placed, then its id has no version, and a replacement carries one', () => {
    expect(clientOrderId('ltd', '12', 'stop')).toBe('ltd-12-stop');
    expect(clientOrderId('ltd', '12', 'stop', { version: 0 })).toBe('ltd-12-stop');
    expect(clientOrderId('ltd', '12', 'stop', { version: 3 })).toBe('ltd-12-stop.3');
    expect(clientOrderId('ltd', '12', 'tp', { step: 2 })).toBe('ltd-12-tp2');
  });

  it('when every version and step is parsed, then each is recognised as ours with its position', () => {
    expect(parseClientOrderId('ltd', 'ltd-12-stop')).toEqual({ positionId: '12', purpose: 'stop', version: 0 });
    expect(parseClientOrderId('ltd', 'ltd-12-stop.14')).toEqual({ positionId: '12', purpose: 'stop', version: 14 });
    expect(parseClientOrderId('ltd', 'ltd-12-tp2')).toEqual({ positionId: '12', purpose: 'tp', version: 0, step: 2 });
    expect(parseClientOrderId('ltd', 'ltd-12-tp1.2')).toEqual({ positionId: '12', purpose: 'tp', version: 2, step: 1 });
  });

  it('when an id is not ours or malformed, then it is not recognised', () => {
    expect(parseClientOrderId('ltd', 'other-12-stop')).toBeUndefined();
    expect(parseClientOrderId('ltd', 'ltd-12-stop2')).toBeUndefined();
    expect(parseClientOrderId('ltd', 'ltd-12-stop.')).toBeUndefined();
    expect(parseClientOrderId('ltd', 'ltd-orphan-123')).toBeUndefined();
    expect(parseClientOrderId('ltd', undefined)).toBeUndefined();
  });

  it('when an id would be longer than the venue allows, then it is refused', () => {
    expect(() => clientOrderId('ltd', '1'.repeat(30), 'stop', { version: 2 })).toThrow(RangeError);
  });

  it('when the position names no replacement, then its current stop is the first one', () => {
    expect(currentStopId('ltd', { id: '5' })).toBe('ltd-5-stop');
    expect(currentStopId('ltd', { id: '5', stopClientOrderId: 'ltd-5-stop.2' })).toBe('ltd-5-stop.2');
  });
});

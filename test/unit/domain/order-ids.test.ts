import { describe, expect, it } from 'vitest';
import { clientOrderId, closeVersionOf, currentStopId, parseClientOrderId } from '../../../src/domain/order-ids.js';

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

  it('when an id is the position\'s own market close, then its version is read, whatever the prefix; a part written down under another id is not one', () => {
    expect(closeVersionOf('ltd-12-close', '12')).toBe(0);
    expect(closeVersionOf('bot2-12-close.3', '12')).toBe(3);
    expect(closeVersionOf('ltd-112-close', '12')).toBeUndefined();
    expect(closeVersionOf('ltd-12-close', '1')).toBeUndefined();
    for (const other of ['ltd-12-trim', 'ltd-12-part-1760000000000', 'ltd-12-stop.2', 'ltd-12-tp1', 'ltd-12-entry']) expect(closeVersionOf(other, '12')).toBeUndefined();
  });
});

// The daemon's client ids packed into Hyperliquid's 128-bit cloids and back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromCloid, toCloid } from '../../../../src/adapters/exchange/ccxt/venues/hyperliquid-client-id.js';

describe('Hyperliquid client ids', () => {
  it('when any id the daemon makes is packed, then it is 0x and 32 hex digits and unpacks to itself', () => {
    const prefix = fc.stringMatching(/^[a-z0-9]{2,8}$/);
    const positionId = fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String);
    const purpose = fc.constantFrom('entry', 'stop', 'close', 'tp');
    fc.assert(
      fc.property(prefix, positionId, purpose, (p, id, what) => {
        const clientId = `${p}-${id}-${what}`;
        const cloid = toCloid(clientId);
        expect(cloid).toMatch(/^0x[0-9a-f]{32}$/);
        expect(fromCloid(cloid)).toBe(clientId);
      }),
    );
  });

  it('when a replacement or a ladder step is packed, then it unpacks to itself, version and step included', () => {
    const prefix = fc.stringMatching(/^[a-z0-9]{2,8}$/);
    const positionId = fc.bigInt({ min: 1n, max: 2n ** 48n - 1n }).map(String);
    const variant = fc.oneof(
      fc.record({ purpose: fc.constantFrom('entry', 'stop', 'close', 'tp'), step: fc.constant(0), version: fc.integer({ min: 1, max: 0xffff }) }),
      fc.record({ purpose: fc.constant('tp'), step: fc.integer({ min: 1, max: 63 }), version: fc.integer({ min: 0, max: 0xffff }) }),
    );
    fc.assert(
      fc.property(prefix, positionId, variant, (p, id, { purpose, step, version }) => {
        const clientId = `${p}-${id}-${purpose}${step > 0 ? step : ''}${version > 0 ? `.${version}` : ''}`;
        const cloid = toCloid(clientId);
        expect(cloid).toMatch(/^0x1c[0-9a-f]{30}$/);
        expect(fromCloid(cloid)).toBe(clientId);
      }),
    );
  });

  it('when a variant falls outside the packing (a step of a stop, a huge version, a leading zero), then it becomes a digest', () => {
    for (const id of ['ltd-1-stop2', 'ltd-1-stop.65536', 'ltd-1-tp64', 'ltd-1-tp.01', 'ltd-281474976710656-stop.1']) {
      expect(toCloid(id)).toMatch(/^0x1e[0-9a-f]{30}$/);
      expect(fromCloid(toCloid(id))).toBeUndefined();
    }
  });

  it('when two ids differ, then their cloids differ', () => {
    expect(toCloid('ltd-1-stop')).not.toBe(toCloid('ltd-1-stop.1'));
    expect(toCloid('ltd-1-tp')).not.toBe(toCloid('ltd-1-tp1'));
    expect(toCloid('ltd-1-tp1')).not.toBe(toCloid('ltd-1-tp1.1'));
    expect(toCloid('ltd-1-entry')).not.toBe(toCloid('ltd-1-stop'));
    expect(toCloid('ltd-1-stop')).not.toBe(toCloid('ltd-10-stop'));
    expect(toCloid('ab-1-stop')).not.toBe(toCloid('ab0-1-stop'));
  });

  it("when a cloid is someone else's (another tool's, or none), then it is not taken for the daemon's", () => {
    expect(fromCloid('0x1234567890abcdef1234567890abcdef')).toBeUndefined();
    expect(fromCloid(undefined)).toBeUndefined();
    expect(fromCloid('ltd-1-stop')).toBeUndefined();
  });

  it('when an id does not follow the daemon\u2019s pattern (an orphan\u2019s close), then it becomes a deterministic digest that is not read back as a position\u2019s', () => {
    const cloid = toCloid('ltd-orphan-17');
    expect(cloid).toMatch(/^0x1e[0-9a-f]{30}$/);
    expect(toCloid('ltd-orphan-17')).toBe(cloid);
    expect(toCloid('ltd-orphan-18')).not.toBe(cloid);
    expect(fromCloid(cloid)).toBeUndefined();
  });
});

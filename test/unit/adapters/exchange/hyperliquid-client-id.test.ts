// The daemon's client ids packed into Hyperliquid's 128-bit cloids and back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromCloid, toCloid } from '../../../../src/adapters/exchange/ccxt/venues/hyperliquid-client-id.js';

describe('Hyperliquid client ids', () => {
  it('when any id the daemon makes is packed, then it is 0x and 32 hex digits and unpacks to itself', () => {
    const prefix = fc.stringMatching(/^[a-z0-9]{2,8}$/);
    const positionId = fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String);
    const purpose = fc.constantFrom('entry', 'stop', 'close');
    fc.assert(
      fc.property(prefix, positionId, purpose, (p, id, what) => {
        const clientId = `${p}-${id}-${what}`;
        const cloid = toCloid(clientId);
        expect(cloid).toMatch(/^0x[0-9a-f]{32}$/);
        expect(fromCloid(cloid)).toBe(clientId);
      }),
    );
  });

  it('when two ids differ, then their cloids differ', () => {
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

// Hyperliquid takes a client order id only as 128 bits of hex ("cloid"). The daemon's ids (`ltd-42-stop`) are packed
// into those 16 bytes reversibly, so an order found on the venue after a restart is still recognised as ours:
// byte 0 marks the packing, bytes 1-6 the prefix (base 37), 7-14 the position id, 15 the purpose. Any other id (an
// orphan's close) becomes a digest under another mark: still deterministic, so a look-up after a timeout finds it.
import { createHash } from 'node:crypto';

const MARK = 0x1d;
const DIGEST_MARK = '1e';
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const PURPOSES = ['entry', 'stop', 'close'] as const;
const MAX_POSITION_ID = 2n ** 64n - 1n;

function packPrefix(prefix: string): bigint {
  let value = 0n;
  for (const char of prefix) value = value * 37n + BigInt(ALPHABET.indexOf(char) + 1);
  return value;
}

function unpackPrefix(value: bigint): string {
  let text = '';
  while (value > 0n) {
    const digit = Number(value % 37n);
    if (digit === 0) return '';
    text = ALPHABET[digit - 1] + text;
    value /= 37n;
  }
  return text;
}

function bytesOf(value: bigint, length: number): string {
  return value.toString(16).padStart(length * 2, '0');
}

/** `ltd-42-stop` as `0x1d…` (reversibly), any other id as `0x1e…` and 15 bytes of its SHA-256. */
export function toCloid(clientOrderId: string): string {
  const match = /^([a-z0-9]{1,8})-(\d{1,20})-([a-z]+)$/.exec(clientOrderId);
  const purpose = match ? PURPOSES.indexOf(match[3] as (typeof PURPOSES)[number]) : -1;
  const positionId = match ? BigInt(match[2] as string) : 0n;
  if (!match || purpose < 0 || positionId > MAX_POSITION_ID || (match[2] as string).startsWith('0')) {
    return `0x${DIGEST_MARK}${createHash('sha256').update(clientOrderId).digest('hex').slice(0, 30)}`;
  }
  return `0x${bytesOf(BigInt(MARK), 1)}${bytesOf(packPrefix(match[1] as string), 6)}${bytesOf(positionId, 8)}${bytesOf(BigInt(purpose), 1)}`;
}

/** The daemon's id packed in a cloid, or undefined for someone else's order (or none). */
export function fromCloid(cloid: string | undefined): string | undefined {
  if (!cloid || !/^0x[0-9a-fA-F]{32}$/.test(cloid)) return undefined;
  const hex = cloid.slice(2).toLowerCase();
  if (parseInt(hex.slice(0, 2), 16) !== MARK) return undefined;
  const prefix = unpackPrefix(BigInt(`0x${hex.slice(2, 14)}`));
  const positionId = BigInt(`0x${hex.slice(14, 30)}`);
  const purpose = PURPOSES[parseInt(hex.slice(30, 32), 16)];
  if (!prefix || purpose === undefined) return undefined;
  return `${prefix}-${positionId}-${purpose}`;
}

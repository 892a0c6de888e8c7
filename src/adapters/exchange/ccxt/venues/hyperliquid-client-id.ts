// Hyperliquid takes a client order id only as 128 bits of hex ("cloid"). The daemon's ids (`ltd-42-stop`) are packed
// into those 16 bytes reversibly, so an order found on the venue after a restart is still recognised as ours:
// byte 0 marks the packing, bytes 1-6 the prefix (base 37), 7-14 the position id, 15 the purpose. A replacement or a
// ladder step (`ltd-42-stop.3`, `ltd-42-tp2.1`) is packed under a mark of its own: bytes 7-12 the position id, 13 the
// purpose (2 bits) and the step (6 bits), 14-15 the version. Any other id (an orphan's close) becomes a digest under
// another mark: still deterministic, so a look-up after a timeout finds it, but not read back as a position's.
import { createHash } from 'node:crypto';

const MARK = 0x1d;
const VARIANT_MARK = 0x1c;
const DIGEST_MARK = '1e';
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const PURPOSES = ['entry', 'stop', 'close', 'tp'] as const;
const MAX_POSITION_ID = 2n ** 64n - 1n;
const MAX_VARIANT_POSITION_ID = 2n ** 48n - 1n;
const MAX_STEP = 63;
const MAX_VERSION = 0xffff;
const PATTERN = /^([a-z0-9]{1,8})-([1-9]\d{0,19})-(entry|stop|close|tp)([1-9]\d*)?(?:\.([1-9]\d*))?$/;

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

function digest(clientOrderId: string): string {
  return `0x${DIGEST_MARK}${createHash('sha256').update(clientOrderId).digest('hex').slice(0, 30)}`;
}

/** `ltd-42-stop` (and `ltd-42-stop.3`, `ltd-42-tp2`) as `0x1d…`/`0x1c…` (reversibly), any other id as `0x1e…` and 15 bytes of its SHA-256. */
export function toCloid(clientOrderId: string): string {
  const match = PATTERN.exec(clientOrderId);
  if (!match) return digest(clientOrderId);
  const [, prefix, position, what, stepText, versionText] = match as unknown as [string, string, string, (typeof PURPOSES)[number], string?, string?];
  const purpose = PURPOSES.indexOf(what);
  const positionId = BigInt(position);
  const step = stepText === undefined ? 0 : Number(stepText);
  const version = versionText === undefined ? 0 : Number(versionText);
  // Only take-profit orders come in ladder steps (see domain/order-ids).
  if (step > 0 && what !== 'tp') return digest(clientOrderId);
  if (step === 0 && version === 0) {
    if (positionId > MAX_POSITION_ID) return digest(clientOrderId);
    return `0x${bytesOf(BigInt(MARK), 1)}${bytesOf(packPrefix(prefix), 6)}${bytesOf(positionId, 8)}${bytesOf(BigInt(purpose), 1)}`;
  }
  if (positionId > MAX_VARIANT_POSITION_ID || step > MAX_STEP || version > MAX_VERSION) return digest(clientOrderId);
  return (
    `0x${bytesOf(BigInt(VARIANT_MARK), 1)}${bytesOf(packPrefix(prefix), 6)}${bytesOf(positionId, 6)}` +
    `${bytesOf(BigInt((purpose << 6) | step), 1)}${bytesOf(BigInt(version), 2)}`
  );
}

/** The daemon's id packed in a cloid, or undefined for someone else's order (or none). */
export function fromCloid(cloid: string | undefined): string | undefined {
  if (!cloid || !/^0x[0-9a-fA-F]{32}$/.test(cloid)) return undefined;
  const hex = cloid.slice(2).toLowerCase();
  const mark = parseInt(hex.slice(0, 2), 16);
  const prefix = unpackPrefix(BigInt(`0x${hex.slice(2, 14)}`));
  if (!prefix) return undefined;
  if (mark === MARK) {
    const positionId = BigInt(`0x${hex.slice(14, 30)}`);
    const purpose = PURPOSES[parseInt(hex.slice(30, 32), 16)];
    if (purpose === undefined || positionId === 0n) return undefined;
    return `${prefix}-${positionId}-${purpose}`;
  }
  if (mark !== VARIANT_MARK) return undefined;
  const positionId = BigInt(`0x${hex.slice(14, 26)}`);
  const packed = parseInt(hex.slice(26, 28), 16);
  const purpose = PURPOSES[packed >> 6];
  const step = packed & MAX_STEP;
  const version = parseInt(hex.slice(28, 32), 16);
  if (purpose === undefined || positionId === 0n || (step > 0 && purpose !== 'tp') || (step === 0 && version === 0)) return undefined;
  return `${prefix}-${positionId}-${purpose}${step > 0 ? step : ''}${version > 0 ? `.${version}` : ''}`;
}

// Numbers from the venue are checked before they reach the engine: a missing field or NaN from a half-broken
// response becomes a TemporaryError naming the field, never a NaN stop price or a zero-volume signal.
import { TemporaryError } from '../../../domain/errors.js';

/** A finite number, or a TemporaryError naming `field` (e.g. `ticker BTC/USDT:USDT.last`). */
export function finite(value: unknown, field: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    const shown = value === undefined ? 'missing' : JSON.stringify(value);
    throw new TemporaryError(`venue field ${field} is not a finite number (${shown})`);
  }
  return number;
}

/** A finite number greater than zero (prices, steps). */
export function positive(value: unknown, field: string): number {
  const number = finite(value, field);
  if (number <= 0) throw new TemporaryError(`venue field ${field} must be positive (got ${number})`);
  return number;
}

/** undefined stays undefined; anything present must be finite. */
export function optionalFinite(value: unknown, field: string): number | undefined {
  return value === undefined || value === null ? undefined : finite(value, field);
}

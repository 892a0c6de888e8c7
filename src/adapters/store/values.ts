// Conversions between domain values and SQL parameters / row values.

/** Decimals kept when writing; anything finer is binary floating-point noise (0.1 + 0.2). */
const DECIMALS = 12;

/**
 * A JS number as a NUMERIC literal without exponent notation (1e-7 -> '0.0000001'), rounded to 12 decimals.
 * Non-finite numbers are refused: a NaN in the trading record is a bug to surface, not a value to keep.
 */
export function toNumeric(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`cannot store ${value} as a number`);
  const rounded = Math.abs(value) < 1e21 ? Number(value.toFixed(DECIMALS)) : value;
  return expandExponent(String(rounded === 0 ? 0 : rounded));
}

export function toNullableNumeric(value: number | undefined): string | null {
  return value === undefined ? null : toNumeric(value);
}

/** Rewrites JS exponent notation ('1.5e-7', '2e+21') as a plain decimal string. */
function expandExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  const digits = whole + fraction;
  const point = whole.length + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** NUMERIC arrives as a string from pg and PGlite. */
export function fromNumeric(value: unknown): number {
  return Number(value);
}

export function fromNullableNumeric(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

export function fromNullableText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

export function fromNullableDate(value: unknown): Date | undefined {
  return value === null || value === undefined ? undefined : toDate(value);
}

export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as Postgres will take it. A string in JS may hold half a character (an emoji cut in two where an AI answer is
 * bounded) or a NUL (a model's escape, or the parser's placeholder for a bare NaN): JSONB refuses both, and a text
 * column refuses NUL, so one such answer would be refused at every retry. Each becomes U+FFFD, as a decoder shows it.
 * Every store, the in-memory one of the backtests included, keeps text this way.
 */
export function storableText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
}

const storableStrings = (_key: string, value: unknown): unknown => (typeof value === 'string' ? storableText(value) : value);

/**
 * JSON text for a JSONB parameter, its strings storable. Always a string: pg would turn a JS array into a Postgres
 * array literal, and both drivers pass strings through unchanged.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null, storableStrings);
}

/** Selects a DATE column as `YYYY-MM-DD` text: pg would parse it into a Date at local midnight. */
export function dayColumn(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD')`;
}

/** Drops keys whose value is undefined, so a read record has exactly the optional fields that were stored. */
export function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

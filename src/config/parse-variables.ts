// Turns raw environment strings into typed values, one problem line per bad variable.
import { z } from 'zod';
import type { VariableKind, VariableSpec } from './variables.js';

/** A linear perpetual as BASE/QUOTE:SETTLE, settled in a dollar stablecoin (BTC/USDT:USDT, BTC/USDC:USDC). */
const SYMBOL_PATTERN = /^[A-Z0-9]{2,15}\/(USDT|USDC):(USDT|USDC)$/;

export function describeAllowed(kind: VariableKind): string {
  switch (kind.type) {
    case 'number':
      return `${kind.integer ? 'an integer' : 'a number'} from ${kind.min} to ${kind.max}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${kind.values.join(', ')}`;
    case 'string':
      return kind.patternHint ?? 'a non-empty string';
    case 'url':
      return `a URL starting with ${kind.protocols.map((p) => `${p}//`).join(' or ')}`;
    case 'symbols':
      return `1 to ${kind.maxCount} comma-separated perpetuals as BASE/QUOTE:SETTLE, like BTC/USDT:USDT or BTC/USDC:USDC`;
  }
}

function schemaFor(kind: VariableKind): z.ZodType<unknown> {
  switch (kind.type) {
    case 'number': {
      const base = z
        .string()
        .trim()
        .regex(/^-?\d+(\.\d+)?$/)
        .transform(Number)
        .pipe(z.number().finite().min(kind.min).max(kind.max));
      return kind.integer ? base.pipe(z.number().int()) : base;
    }
    case 'boolean':
      return z
        .string()
        .trim()
        .toLowerCase()
        .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
        .transform((value) => value === 'true' || value === '1' || value === 'yes');
    case 'enum':
      return z.string().trim().pipe(z.enum(kind.values as [string, ...string[]]));
    case 'string':
      return kind.pattern ? z.string().trim().regex(kind.pattern) : z.string().trim().min(1);
    case 'url':
      return z
        .string()
        .trim()
        .refine((value) => {
          try {
            return kind.protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        });
    case 'symbols':
      return z
        .string()
        .transform((value) =>
          value
            .split(',')
            .map((symbol) => symbol.trim().toUpperCase())
            .filter((symbol) => symbol.length > 0),
        )
        .pipe(z.array(z.string().regex(SYMBOL_PATTERN)).min(1).max(kind.maxCount))
        .refine((symbols) => new Set(symbols).size === symbols.length);
  }
}

export interface ParsedVariables {
  readonly values: ReadonlyMap<string, unknown>;
  readonly problems: readonly string[];
}

const PRIVATE_KEY_SHAPE = /^(0x)?[0-9a-f]{64}$/i;
/**
 * Values with the shape of a key or token: a private key, a Telegram bot token, a provider's key, or any long word
 * without spaces that is not an address on the web. Typed into the wrong field (a wallet's private key where its
 * address goes), they must not be printed back in the error that refuses them.
 */
const SECRET_SHAPES = [PRIVATE_KEY_SHAPE, /^\d{5,}:[\w-]{30,}$/, /^(sk|xai)-/i, /^(?!.*:\/\/)\S{32,}$/];

/** Shows what the user typed, except for secrets and values shaped like one, which never appear in any message. */
export function shown(spec: VariableSpec, raw: string): string {
  if (spec.secret) return '(hidden)';
  const value = raw.trim();
  if (!SECRET_SHAPES.some((shape) => shape.test(value))) return JSON.stringify(raw);
  const privateKey = PRIVATE_KEY_SHAPE.test(value) ? ': it looks like a private key, which never goes here' : '';
  return `a value of ${value.length} characters, not shown (it has the shape of a key or token${privateKey})`;
}

/**
 * A postgres URL that does not parse nearly always has a password holding a character that ends its part of the URL
 * (/ # ?; `openssl rand -base64` gives /). Under Docker Compose the user never wrote the URL: compose builds it from
 * POSTGRES_PASSWORD.
 */
function unparsableDatabaseUrl(kind: VariableKind, text: string): string {
  const value = text.trim();
  if (kind.type !== 'url' || !kind.protocols.includes('postgres:') || !/^postgres(ql)?:\/\//i.test(value) || URL.canParse(value)) return '';
  return (
    ' It starts like one but does not parse: the password in it must be URL-safe (percent-encode characters such as / # ? @).' +
    ' Under Docker Compose it is POSTGRES_PASSWORD in .env: use letters and digits only, e.g. openssl rand -hex 24' +
    " (a database already created with the old password keeps it until changed: ALTER USER trader PASSWORD '...')."
  );
}

export function parseVariables(specs: readonly VariableSpec[], raw: Readonly<Record<string, string | undefined>>): ParsedVariables {
  const values = new Map<string, unknown>();
  const problems: string[] = [];
  for (const spec of specs) {
    const given = raw[spec.name];
    const text = given === undefined || given.trim() === '' ? spec.default : given;
    if (text === undefined) continue;
    const result = schemaFor(spec.kind).safeParse(text);
    if (result.success) values.set(spec.name, result.data);
    else problems.push(`${spec.name}: got ${shown(spec, text)}; allowed: ${describeAllowed(spec.kind)}.${unparsableDatabaseUrl(spec.kind, text)}`);
  }
  return { values, problems };
}

// Finding the JSON object in a model's answer. Models wrap it in prose or ```json fences despite being told not to;
// the object is taken as written (first balanced object that parses) and judged afterwards, never repaired.

/** Longer answers are cut here before scanning: a real answer is a few hundred characters. */
const MAX_SCANNED_CHARS = 20_000;
/** Each candidate is a scan to its closing brace; this bounds the work on an answer full of stray braces. */
const MAX_CANDIDATES = 64;

/**
 * Stands in for a bare NaN / Infinity token (invalid JSON that models do write) so that the object still parses and
 * the validator can name the field instead of reporting "no JSON".
 */
export const NON_JSON_NUMBER_PREFIX = '\u0000non-json-number:';

export type Extraction =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

interface Candidate {
  /** The balanced `{...}` text. */
  readonly text: string;
  /** The same text with bare NaN / Infinity tokens outside strings turned into marked strings. */
  readonly marked: string;
}

const BARE_TOKEN = /^-?(?:NaN|Infinity)/;

/** The balanced object starting at `start` (a `{`), or undefined when the text ends first. */
function balancedObjectAt(text: string, start: number): Candidate | undefined {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let marked = '';
  for (let index = start; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (inString) {
      marked += char;
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    const bare = BARE_TOKEN.exec(text.slice(index, index + 9));
    if (bare) {
      marked += JSON.stringify(`${NON_JSON_NUMBER_PREFIX}${bare[0]}`);
      index += bare[0].length - 1;
      continue;
    }
    marked += char;
    if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return { text: text.slice(start, index + 1), marked };
    }
  }
  return undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first balanced `{...}` span in `text` that parses as a JSON object, and where it ends; at most MAX_CANDIDATES
 * spans looked at.
 */
function firstParsedObject(text: string): { readonly value: Record<string, unknown>; readonly end: number } | undefined {
  for (let start = text.indexOf('{'), tried = 0; start !== -1 && tried < MAX_CANDIDATES; tried += 1) {
    const candidate = balancedObjectAt(text, start);
    // An object that never closes runs to the end of the answer, so everything after its brace is inside it.
    if (!candidate) return undefined;
    const value = parseObject(candidate.text) ?? parseObject(candidate.marked);
    const end = start + candidate.text.length;
    if (value) return { value, end };
    start = text.indexOf('{', end);
  }
  return undefined;
}

/**
 * The one balanced `{...}` in `answer` that parses as a JSON object. An object nested in one that does not parse is
 * never taken for the answer: a HOLD with a trailing comma, or cut off by the token limit, must not turn into the
 * LONG written inside it as a scenario. Anything that opens a second object after it makes the answer ambiguous: a
 * model that wrote a LONG, thought again and began a HOLD as its "final answer" has withdrawn the LONG, and the first
 * object would not know it, whether or not the HOLD parses.
 */
export function extractJsonObject(answer: string): Extraction {
  const text = answer.slice(0, MAX_SCANNED_CHARS);
  if (text.trim() === '') return { ok: false, reason: 'the answer is empty' };
  const first = firstParsedObject(text);
  if (!first) {
    return { ok: false, reason: text.includes('{') ? 'the answer contains no JSON object that parses' : 'the answer contains no JSON object' };
  }
  // Any object begun after it, whether it parses or not (single quotes, cut off), may withdraw it.
  if (text.includes('{', first.end)) return { ok: false, reason: 'the answer holds more than one JSON object; the rules ask for one' };
  return { ok: true, value: first.value };
}

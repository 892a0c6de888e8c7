// Translating what the provider SDKs throw into one short reason for a `failed` vote. Both SDKs share the same error
// family (APIError with an HTTP status, connection errors, timeouts, user aborts), so one function serves both.

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes of one SDK (`Anthropic.APIError`, `OpenAI.APIError`, ...). */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIUserAbortError: ErrorClass;
}

export interface FailureContext {
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

/** The provider answered 200, but with a body that is not the documented shape. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

const MAX_DETAIL_CHARS = 200;

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bBearer\s+\S+/gi,
  /\bsk-[A-Za-z0-9_*.-]{4,}/g,
  /\bxai-[A-Za-z0-9_*.-]{4,}/g,
];

/** Removes the key and anything shaped like a key: failure reasons end up in logs, the database and Telegram. */
export function redactSecrets(text: string, apiKey: string): string {
  let result = apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, '[redacted]');
  return result;
}

function detail(error: Error, apiKey: string): string {
  const text = redactSecrets(error.message.replace(/\s+/g, ' ').trim(), apiKey);
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 3)}...` : text;
}

function statusOf(error: Error): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

function retries(count: number): string {
  return count === 1 ? '1 retry' : `${count} retries`;
}

function describeStatus(error: Error, status: number, context: FailureContext): string {
  if (status === 401) return 'authentication failed (HTTP 401): the provider refused the API key';
  if (status === 403) return 'authentication failed (HTTP 403): the API key lacks permission for this model';
  if (status === 429) return `rate limited (HTTP 429) after ${retries(context.maxRetries)}`;
  if (status === 529) return `overloaded (HTTP 529) after ${retries(context.maxRetries)}`;
  if (status >= 500) {
    return `provider error (HTTP ${status}) after ${retries(context.maxRetries)}: ${detail(error, context.apiKey)}`;
  }
  return `request refused (HTTP ${status}): ${detail(error, context.apiKey)}`;
}

/** instanceof without narrowing: every SDK class is "an Error", and narrowing on one would exclude the others. */
function isA(error: Error, errorClass: ErrorClass): boolean {
  return error instanceof errorClass;
}

export function describeProviderError(error: unknown, sdk: SdkErrorClasses, context: FailureContext): string {
  if (!(error instanceof Error)) return `unexpected failure: ${redactSecrets(String(error), context.apiKey)}`;
  if (isA(error, sdk.APIConnectionTimeoutError)) return `timed out after ${context.timeoutMs} ms`;
  if (isA(error, sdk.APIUserAbortError)) return 'aborted before the provider answered';
  if (isA(error, sdk.APIConnectionError)) {
    const cause = error.cause instanceof Error ? `: ${detail(error.cause, context.apiKey)}` : '';
    return `could not reach the provider${cause}`;
  }
  if (isA(error, sdk.APIError)) {
    const status = statusOf(error);
    if (status === undefined) return `provider error: ${detail(error, context.apiKey)}`;
    return describeStatus(error, status, context);
  }
  if (error instanceof MalformedResponseError || error instanceof SyntaxError) {
    return `malformed response from the provider: ${detail(error, context.apiKey)}`;
  }
  return `unexpected failure: ${detail(error, context.apiKey)}`;
}

/** What kind of refusal an HTTP status is, in the words of the reasons above. */
function refusalKind(status: number): string {
  if (status === 429) return 'rate limited';
  if (status === 529) return 'overloaded';
  return 'provider error';
}

/**
 * A call that ended on an error answer of the provider, still unanswered when our deadline came (or bound to be: it
 * asked for a longer wait than was left). Its words are the provider's refusal, not a slow network.
 */
export function describeRefusal(refusal: { readonly status: number; readonly retryAfterMs?: number }, timeoutMs: number): string {
  const kind = `${refusalKind(refusal.status)} (HTTP ${refusal.status})`;
  if (refusal.retryAfterMs === undefined) return `${kind}, no answer within the ${timeoutMs} ms deadline`;
  const wait = `${Number((refusal.retryAfterMs / 1000).toFixed(1))} s`;
  return `${kind}: the provider asked to retry after ${wait}, past the ${timeoutMs} ms deadline`;
}

// Binance's SIGNED endpoint check: HMAC-SHA256 of the query string followed by the body, keyed by the secret,
// sent as the last `signature` parameter, with the key in the X-MBX-APIKEY header.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { VenueError, venueErrors } from './venue-error.js';

export interface Credentials {
  readonly apiKey: string;
  readonly secret: string;
}

export function signPayload(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function splitSignature(raw: string): { rest: string; signature?: string } {
  const match = /(^|&)signature=([^&]*)$/.exec(raw);
  if (!match) return { rest: raw };
  return { rest: raw.slice(0, match.index), signature: match[2] };
}

/** Throws the venue's own refusal when the key or the signature does not match. */
export function verifySignedRequest(
  credentials: Credentials,
  apiKeyHeader: string | undefined,
  rawQuery: string,
  rawBody: string,
): void {
  if (!apiKeyHeader) throw venueErrors.badKeyFormat();
  if (apiKeyHeader !== credentials.apiKey) throw venueErrors.rejectedKey();
  const fromQuery = splitSignature(rawQuery);
  const fromBody = splitSignature(rawBody);
  const signature = fromQuery.signature ?? fromBody.signature;
  if (!signature) throw new VenueError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
  const expected = signPayload(fromQuery.rest + fromBody.rest, credentials.secret);
  const given = Buffer.from(signature, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw venueErrors.badSignature();
  if (!/(^|&)timestamp=\d+/.test(fromQuery.rest + '&' + fromBody.rest)) {
    throw venueErrors.missingParameter('timestamp');
  }
}

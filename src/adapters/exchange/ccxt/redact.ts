// Keeps credentials out of errors and logs. ccxt embeds full request URLs (query string, signature) in its
// messages; those must never reach a log line, a Telegram alert or the database.

const MAX_MESSAGE_LENGTH = 600;

/** Removes the given secrets, any `signature=` value and URL query strings from `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real keys are long.
    if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(/signature=[^&\s"',}]*/gi, 'signature=[redacted]');
  out = out.replace(/\b((?:https?|wss?):\/\/[^\s?"']+)\?[^\s"']*/gi, '$1?[query omitted]');
  out = out.replace(/(X-MBX-APIKEY["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1[redacted]');
  return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH)}…` : out;
}

// The last line of defence for what the owner is sent: every message and reply leaves without a known secret value,
// whatever error text it quotes, and the event stored beside a message keeps none either.
import { SecretScrubber } from '../adapters/logging/scrub-secrets.js';
import { escapeHtml, type SecretHider } from '../adapters/notifier/index.js';

/** Messages are HTML: a secret may appear as written or with its `&`, `<` and `>` escaped. */
export function secretsHiddenInHtml(secrets: readonly string[]): SecretHider {
  return new SecretScrubber([...secrets, ...secrets.map(escapeHtml)]);
}

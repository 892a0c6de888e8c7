// Telegram HTML: the few tags Telegram accepts, escaping of every dynamic value, and the way back to plain text
// (console output, and the fallback when Telegram refuses a message's markup).

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for Telegram HTML. Telegram knows only a few named entities, so `'` becomes a numeric one. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Bold plain text (escaped here, so callers cannot forget). */
export function bold(text: string): string {
  return `<b>${escapeHtml(text)}</b>`;
}

export function italic(text: string): string {
  return `<i>${escapeHtml(text)}</i>`;
}

export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

export function pre(text: string): string {
  return `<pre>${escapeHtml(text)}</pre>`;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Turns entities back into characters; unknown entities are left as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return safeCodePoint(Number.parseInt(body.slice(2), 16)) ?? whole;
    if (body.startsWith('#')) return safeCodePoint(Number.parseInt(body.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(value: number): string | undefined {
  if (!Number.isInteger(value) || value < 0 || value > 0x10ffff) return undefined;
  return String.fromCodePoint(value);
}

/** What a reader sees: tags removed, entities decoded. Links keep their address in brackets. */
export function htmlToPlainText(html: string): string {
  const withLinks = html.replace(/<a\s+href="([^"]*)"\s*>([\s\S]*?)<\/a>/gi, (_whole, href: string, inner: string) => {
    const text = inner.replace(/<[^>]*>/g, '');
    return text === href ? text : `${text} (${href})`;
  });
  return decodeEntities(withLinks.replace(/<[^>]*>/g, ''));
}

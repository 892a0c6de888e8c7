// Telegram's HTML parse mode, as strict as the Bot API documents it: only its tags, properly nested, every `<`,
// `>` and `&` in text written as an entity, only the entities Telegram knows. Returns what the reader sees.

export type HtmlCheck =
  | { readonly ok: true; readonly text: string; readonly tags: readonly string[] }
  | { readonly ok: false; readonly error: string };

const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'span', 'tg-spoiler', 'blockquote']);
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };
/** Inside these, Telegram shows text only: no other formatting (except <code> directly in <pre>). */
const VERBATIM = new Set(['code', 'pre']);

function decodeEntity(body: string): string | undefined {
  if (/^#[0-9]+$/.test(body)) return String.fromCodePoint(Number(body.slice(1)));
  if (/^#x[0-9a-f]+$/i.test(body)) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
  return NAMED_ENTITIES[body];
}

function checkAttributes(name: string, attributes: string): string | undefined {
  const pairs = [...attributes.matchAll(/\s*([a-z-]+)\s*=\s*"([^"]*)"/gi)];
  const rebuilt = pairs.map((pair) => pair[0]).join('');
  if (rebuilt.trim() !== attributes.trim()) return `malformed attributes in <${name}>`;
  for (const [, key, value] of pairs) {
    if (value !== undefined && /[<>]/.test(value)) return `unescaped character in attribute of <${name}>`;
    const ok =
      (name === 'a' && key === 'href') ||
      (name === 'code' && key === 'class' && /^language-/.test(value ?? '')) ||
      (name === 'span' && key === 'class' && value === 'tg-spoiler') ||
      (name === 'blockquote' && key === 'expandable');
    if (!ok) return `attribute ${key} not allowed on <${name}>`;
  }
  if (name === 'a' && !pairs.some((pair) => pair[1] === 'href')) return '<a> needs href';
  if (name === 'span' && pairs.length === 0) return '<span> needs class="tg-spoiler"';
  return undefined;
}

export function parseTelegramHtml(html: string): HtmlCheck {
  const stack: string[] = [];
  const tags: string[] = [];
  let text = '';
  let index = 0;
  while (index < html.length) {
    const char = html[index]!;
    if (char === '<') {
      const end = html.indexOf('>', index);
      if (end < 0) return { ok: false, error: `unclosed start tag at byte offset ${index}` };
      const raw = html.slice(index + 1, end);
      const closing = raw.startsWith('/');
      const match = /^\/?([a-z][a-z0-9-]*)(.*)$/is.exec(raw);
      const name = match?.[1]?.toLowerCase();
      if (name === undefined || !ALLOWED_TAGS.has(name)) return { ok: false, error: `unsupported tag "${raw}" at offset ${index}` };
      if (closing) {
        if ((match?.[2] ?? '').trim() !== '') return { ok: false, error: `garbage in end tag </${name}>` };
        const open = stack.pop();
        if (open !== name) return { ok: false, error: `end tag </${name}> does not match <${open ?? 'nothing'}>` };
      } else {
        const problem = checkAttributes(name, match?.[2] ?? '');
        if (problem !== undefined) return { ok: false, error: problem };
        const parent = stack[stack.length - 1];
        if (parent !== undefined && VERBATIM.has(parent) && !(parent === 'pre' && name === 'code')) {
          return { ok: false, error: `<${name}> inside <${parent}>` };
        }
        if (name === 'a' && stack.includes('a')) return { ok: false, error: 'nested <a>' };
        stack.push(name);
        tags.push(name);
      }
      index = end + 1;
    } else if (char === '&') {
      const end = html.indexOf(';', index);
      const body = end < 0 ? undefined : html.slice(index + 1, end);
      const decoded = body === undefined || body.length > 10 ? undefined : decodeEntity(body);
      if (decoded === undefined) return { ok: false, error: `unescaped & or unknown entity at offset ${index}` };
      text += decoded;
      index = end + 1;
    } else if (char === '>') {
      return { ok: false, error: `unescaped > at offset ${index}` };
    } else {
      text += char;
      index += 1;
    }
  }
  if (stack.length > 0) return { ok: false, error: `unclosed tags: ${stack.join(', ')}` };
  return { ok: true, text, tags };
}

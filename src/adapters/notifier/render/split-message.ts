// Telegram refuses messages longer than 4096 characters. Long messages are cut at line ends where possible, and
// every part is valid HTML on its own: tags open at a cut are closed there and reopened in the next part, and an
// entity such as `&amp;` is never cut in two.

export const TELEGRAM_MESSAGE_LIMIT = 4096;

type Token =
  | { readonly kind: 'open'; readonly name: string; readonly raw: string }
  | { readonly kind: 'close'; readonly name: string; readonly raw: string }
  | { readonly kind: 'text'; readonly raw: string; readonly visible: boolean }
  | { readonly kind: 'newline' };

type OpenTag = Extract<Token, { kind: 'open' }>;

// A tag, an entity, a line break, or a word with the spaces after it (stray `<` and `&` on their own).
const TOKEN_PATTERN =
  /(<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^>]*)?>)|(&(?:#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);)|(\n)|([^<&\s]+[^\S\n]*|[^\S\n]+|[<&])/g;

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  for (const match of html.matchAll(TOKEN_PATTERN)) {
    const [whole, tag, entity, newline] = match;
    if (tag !== undefined) {
      const name = (/^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(tag)?.[1] ?? '').toLowerCase();
      tokens.push(tag.startsWith('</') ? { kind: 'close', name, raw: tag } : { kind: 'open', name, raw: tag });
    } else if (entity !== undefined) {
      tokens.push({ kind: 'text', raw: entity, visible: true });
    } else if (newline !== undefined) {
      tokens.push({ kind: 'newline' });
    } else {
      tokens.push({ kind: 'text', raw: whole, visible: whole.trim() !== '' });
    }
  }
  return tokens;
}

function splitLines(tokens: readonly Token[]): Token[][] {
  const lines: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'newline') lines.push([]);
    else lines[lines.length - 1]?.push(token);
  }
  return lines;
}

function applyTags(stack: readonly OpenTag[], tokens: readonly Token[]): OpenTag[] {
  const next = [...stack];
  for (const token of tokens) {
    if (token.kind === 'open') next.push(token);
    else if (token.kind === 'close') {
      const index = next.map((open) => open.name).lastIndexOf(token.name);
      if (index >= 0) next.splice(index, 1);
    }
  }
  return next;
}

const openers = (stack: readonly OpenTag[]): string => stack.map((tag) => tag.raw).join('');
const closers = (stack: readonly OpenTag[]): string =>
  [...stack]
    .reverse()
    .map((tag) => `</${tag.name}>`)
    .join('');
const rawOf = (tokens: readonly Token[]): string => tokens.map((token) => (token.kind === 'newline' ? '\n' : token.raw)).join('');

class ChunkPacker {
  private readonly chunks: string[] = [];
  private body = '';
  private stack: OpenTag[] = [];
  /** Nothing but reopened tags in the current part yet: a line placed here needs no leading newline. */
  private fresh = true;
  private hasText = false;

  constructor(private readonly limit: number) {}

  addLine(line: readonly Token[]): void {
    if (line.length === 0 && this.fresh) return;
    if (this.tryAppend(line, this.fresh ? '' : '\n')) return;
    if (!this.fresh) {
      this.startNewChunk();
      if (this.tryAppend(line, '')) return;
    }
    // A single line longer than a whole message: cut it between words, and long words between characters.
    for (const token of line) this.addPiece([token], true);
  }

  finish(): string[] {
    this.flush();
    return this.chunks;
  }

  private addPiece(tokens: readonly Token[], mayCutFurther: boolean): void {
    if (this.tryAppend(tokens, '')) return;
    if (!this.fresh) {
      this.startNewChunk();
      if (this.tryAppend(tokens, '')) return;
    }
    const [token] = tokens;
    if (mayCutFurther && token?.kind === 'text' && !token.raw.startsWith('&')) {
      for (const char of token.raw) this.addPiece([{ kind: 'text', raw: char, visible: char.trim() !== '' }], false);
      return;
    }
    // Nothing smaller to cut into (an absurdly small limit): keep going rather than loop forever.
    this.append(tokens, '');
  }

  private tryAppend(tokens: readonly Token[], separator: string): boolean {
    const after = applyTags(this.stack, tokens);
    const length = this.body.length + separator.length + rawOf(tokens).length + closers(after).length;
    if (length > this.limit) return false;
    this.append(tokens, separator);
    return true;
  }

  private append(tokens: readonly Token[], separator: string): void {
    this.body += separator + rawOf(tokens);
    this.stack = applyTags(this.stack, tokens);
    this.fresh = false;
    if (tokens.some((token) => token.kind === 'text' && token.visible)) this.hasText = true;
  }

  private startNewChunk(): void {
    this.flush();
    this.body = openers(this.stack);
    this.fresh = true;
    this.hasText = false;
  }

  private flush(): void {
    // Telegram rejects a message with no visible text, so a part made only of tags and blank lines is dropped.
    if (this.hasText) this.chunks.push(this.body + closers(this.stack));
  }
}

/** Splits Telegram HTML into parts of at most `limit` characters, each well-formed on its own. */
/**
 * Half an emoji (a lone UTF-16 surrogate) as U+FFFD. Telegram refuses a whole message that holds one, and text cut
 * by length anywhere upstream (a venue's error, an analyst's key factor) can end in one.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function splitMessage(text: string, limit: number = TELEGRAM_MESSAGE_LIMIT): string[] {
  const html = text.replace(LONE_SURROGATE, '\uFFFD');
  if (html.length <= limit) return [html];
  const packer = new ChunkPacker(limit);
  for (const line of splitLines(tokenize(html))) packer.addLine(line);
  return packer.finish();
}

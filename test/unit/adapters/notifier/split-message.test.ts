import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../../src/adapters/notifier/render/split-message.js';
import { parseTelegramHtml } from '../../../peers/telegram/telegram-html.js';

function visible(html: string): string {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`invalid Telegram HTML: ${parsed.error} in ${html}`);
  return parsed.text;
}

describe('splitMessage', () => {
  it('sends half an emoji, cut upstream, as a replacement character rather than a message Telegram refuses', () => {
    const halfEmoji = 'venue said: overloaded \uD83D';
    expect(splitMessage(halfEmoji, 4096)).toEqual(['venue said: overloaded \uFFFD']);
    expect(splitMessage('\uDE00 ok 🙂', 4096)).toEqual(['\uFFFD ok 🙂']);
  });

  it('when the message fits, then it is returned whole', () => {
    expect(splitMessage('<b>short</b>', 4096)).toEqual(['<b>short</b>']);
  });

  it('when lines overflow the limit, then the cut falls between lines and nothing is lost', () => {
    const lines = Array.from({ length: 10 }, (_, index) => `line ${index} &amp; more`);
    const parts = splitMessage(lines.join('\n'), 60);
    expect(parts).toEqual([lines.slice(0, 3).join('\n'), lines.slice(3, 6).join('\n'), lines.slice(6, 9).join('\n'), lines[9]]);
  });

  it('when a cut falls inside a tag, then the part closes it and the next part reopens it', () => {
    const html = `<pre>${Array.from({ length: 6 }, (_, index) => `row ${index} = &lt;value&gt;`).join('\n')}</pre>\n<b>total</b>`;
    const parts = splitMessage(html, 70);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(70);
      expect(parseTelegramHtml(part).ok).toBe(true);
    }
    expect(parts[0]?.startsWith('<pre>')).toBe(true);
    expect(parts[0]?.endsWith('</pre>')).toBe(true);
    expect(parts[1]?.startsWith('<pre>')).toBe(true);
    expect(parts.map(visible).join('\n')).toBe(visible(html));
  });

  it('when a single line is longer than a message, then it is cut between words and never inside an entity', () => {
    const words = Array.from({ length: 40 }, (_, index) => `w${index}&amp;x`);
    const html = `<i>${words.join(' ')}</i>`;
    const parts = splitMessage(html, 50);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(50);
      expect(parseTelegramHtml(part).ok).toBe(true);
    }
    expect(parts.map(visible).join('')).toBe(visible(html));
  });

  it('when a word is longer than a message, then it is cut between characters without splitting an emoji', () => {
    const html = '🚀'.repeat(30);
    const parts = splitMessage(html, 16);
    expect(parts.every((part) => part.length <= 16)).toBe(true);
    expect(parts.join('')).toBe(html);
    expect(parts.every((part) => !/[\uD800-\uDBFF]$/.test(part))).toBe(true);
  });

  it('when a real-size message is split at 4096, then every part is within the limit and valid', () => {
    const lines = Array.from({ length: 400 }, (_, index) => `<b>#${index}</b> trade &quot;x&quot; closed at 62,345.1 · P&amp;L +$1.00`);
    const html = lines.join('\n');
    const longestLine = Math.max(...lines.map((line) => line.length));
    const parts = splitMessage(html);
    expect(parts.length).toBeGreaterThan(1);
    // Greedy packing: every part but the last is full to within one line of the limit.
    for (const part of parts.slice(0, -1)) expect(part.length).toBeGreaterThan(4096 - longestLine - 1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(parseTelegramHtml(part).ok).toBe(true);
    }
    expect(parts.join('\n')).toBe(html);
  });
});

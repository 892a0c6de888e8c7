import { describe, expect, it } from 'vitest';
import { bold, code, decodeEntities, escapeHtml, htmlToPlainText } from '../../../../src/adapters/notifier/render/html.js';
import { parseTelegramHtml } from '../../../peers/telegram/telegram-html.js';

describe('Telegram HTML helpers', () => {
  it('when text has markup characters and quotes, then each becomes an entity Telegram knows', () => {
    expect(escapeHtml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;');
  });

  it('when wrapping text in a tag, then the text inside is escaped and the result parses as Telegram HTML', () => {
    const html = `${bold('P&L <today>')} ${code('"x" & y')}`;
    expect(html).toBe('<b>P&amp;L &lt;today&gt;</b> <code>&quot;x&quot; &amp; y</code>');
    expect(parseTelegramHtml(html)).toEqual({ ok: true, text: 'P&L <today> "x" & y', tags: ['b', 'code'] });
  });

  it('when printing to a console, then tags go, entities become characters, and a link keeps its address', () => {
    expect(htmlToPlainText('<b>P&amp;L</b>: &lt;3 &#39;ok&#39; &#x1F680; <a href="https://x.test/?a=1&amp;b=2">chart</a>')).toBe(
      "P&L: <3 'ok' 🚀 chart (https://x.test/?a=1&b=2)",
    );
  });

  it('when an entity is unknown or out of range, then it is left as written', () => {
    expect(decodeEntities('&bogus; &#99999999;')).toBe('&bogus; &#99999999;');
  });
});

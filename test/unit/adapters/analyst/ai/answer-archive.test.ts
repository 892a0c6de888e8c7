import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerFacts, FileAnswerArchive } from '../../../../../src/adapters/analyst/ai/answer-archive.js';

async function archivePath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'answers-')), 'answers.jsonl');
}

const lines = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));

describe('the answer archive', () => {
  it('when an answer is kept, then its line records the model, its training cutoff, blindness and when it answered', async () => {
    const path = await archivePath();
    const archive = await FileAnswerArchive.open(path);

    await archive.put('claude:claude-sonnet-4-5:abc', { text: '{"action":"HOLD"}' }, answerFacts('claude-sonnet-4-5-20250929', true, new Date('2026-12-01T10:00:00Z')));

    const [line] = await lines(path);
    expect(line).toMatchObject({
      key: 'claude:claude-sonnet-4-5:abc',
      model: 'claude-sonnet-4-5-20250929',
      facts: {
        model: 'claude-sonnet-4-5-20250929',
        cutoff: {
          seenUntil: '2025-08-01',
          basis: 'published',
          source: 'https://platform.claude.com/docs/en/about-claude/models/overview',
        },
        blind: true,
        answeredAt: '2026-12-01T10:00:00.000Z',
      },
    });
  });

  it('when the model is not in the cutoff table, then the line says the cutoff is unknown (null)', async () => {
    const path = await archivePath();
    const archive = await FileAnswerArchive.open(path);

    await archive.put('x:some-new-model:1', { text: 'hold', model: 'some-new-model' }, answerFacts('some-new-model', false, new Date(0)));

    const [line] = await lines(path);
    expect(line.facts).toMatchObject({ model: 'some-new-model', cutoff: null, blind: false });
  });

  it('when the archive is opened again, then the answer comes back as it was given, and lines without facts still load', async () => {
    const path = await archivePath();
    const first = await FileAnswerArchive.open(path);
    await first.put('a', { text: 'one', model: 'deepseek-chat', inputTokens: 10, outputTokens: 2 }, answerFacts('deepseek-chat', false, new Date(0)));
    await first.put('b', { text: 'two' });

    const reopened = await FileAnswerArchive.open(path);

    expect(await reopened.get('a')).toEqual({ text: 'one', model: 'deepseek-chat', inputTokens: 10, outputTokens: 2 });
    expect(await reopened.get('b')).toEqual({ text: 'two' });
  });

  it('when a line was written before cutoffs recorded their source, then its answer still loads', async () => {
    const path = await archivePath();
    const facts = { model: 'deepseek-chat', cutoff: { seenUntil: '2026-07-25', basis: 'upper-bound', stated: 'unpublished' }, blind: false, answeredAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(path, `${JSON.stringify({ key: 'old', text: 'hold', model: 'deepseek-chat', facts })}\n`);

    const archive = await FileAnswerArchive.open(path);

    expect(await archive.get('old')).toEqual({ text: 'hold', model: 'deepseek-chat' });
  });
});

// Every provider answer of a backtest, kept by prompt hash: replaying the same history again asks no provider and
// gets the same answers, so a second run costs nothing and reproduces the first exactly.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Completion } from './ai-analyst.js';

export interface AnswerArchive {
  get(key: string): Promise<Completion | undefined>;
  put(key: string, completion: Completion): Promise<void>;
}

const lineSchema = z.object({
  key: z.string(),
  text: z.string(),
  model: z.string().optional(),
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  stoppedEarly: z.string().optional(),
});

/** One JSON line per answer, appended as they come; a damaged line is skipped (the answer is simply asked again). */
export class FileAnswerArchive implements AnswerArchive {
  private constructor(
    private readonly path: string,
    private readonly answers: Map<string, Completion>,
  ) {}

  static async open(path: string): Promise<FileAnswerArchive> {
    const answers = new Map<string, Completion>();
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const { key, ...completion } = lineSchema.parse(JSON.parse(line));
        answers.set(key, completion);
      } catch {
        // skipped: see the class comment
      }
    }
    await mkdir(dirname(path), { recursive: true });
    return new FileAnswerArchive(path, answers);
  }

  get size(): number {
    return this.answers.size;
  }

  async get(key: string): Promise<Completion | undefined> {
    return this.answers.get(key);
  }

  async put(key: string, completion: Completion): Promise<void> {
    this.answers.set(key, completion);
    await appendFile(this.path, `${JSON.stringify({ key, ...completion })}\n`);
  }
}

// Every provider answer of a backtest, kept by prompt hash: replaying the same history again asks no provider and
// gets the same answers, so a second run costs nothing and reproduces the first exactly. Each answer also records
// which model gave it and how far that model's training data reaches, so a report can tell answers about a period
// the model may have seen from answers about one it cannot have seen.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Completion } from './ai-analyst.js';
import type { ModelCutoff } from './model-cutoffs.js';
import { cutoffOf } from './model-cutoffs.js';

/** What is known about an answer besides its text; kept for the reader of the archive, never used to answer. */
export interface AnswerFacts {
  /** The model that answered (the provider's name for it, or the one asked for when the provider names none). */
  readonly model: string;
  /**
   * Its training cutoff from the table in model-cutoffs.ts, with the provider page the table took it from, so a reader
   * can check the date without the table of the day; null when the model is not in it (unknown). Lines written
   * before the source was recorded lack it.
   */
  readonly cutoff: ModelCutoff | null;
  /** The prompt withheld symbol, dates and price levels (`--blind`). */
  readonly blind: boolean;
  /** When the provider answered (wall clock): no model behind it can have been trained on anything later. */
  readonly answeredAt: string;
}

export interface AnswerArchive {
  get(key: string): Promise<Completion | undefined>;
  put(key: string, completion: Completion, facts?: AnswerFacts): Promise<void>;
}

/** The facts of an answer given now by `model`. */
export function answerFacts(model: string, blind: boolean, answeredAt: Date): AnswerFacts {
  const lookup = cutoffOf(model);
  const cutoff = lookup.known
    ? { seenUntil: lookup.cutoff.seenUntil, basis: lookup.cutoff.basis, stated: lookup.cutoff.stated, source: lookup.cutoff.source }
    : null;
  return { model, cutoff, blind, answeredAt: answeredAt.toISOString() };
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

  /** The facts go into the line after the answer; reading a line back keeps only the answer (zod strips the rest). */
  async put(key: string, completion: Completion, facts?: AnswerFacts): Promise<void> {
    this.answers.set(key, completion);
    const line = facts ? { key, ...completion, model: completion.model ?? facts.model, facts } : { key, ...completion };
    await appendFile(this.path, `${JSON.stringify(line)}\n`);
  }
}

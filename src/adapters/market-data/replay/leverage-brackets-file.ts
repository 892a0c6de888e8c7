// A replay's leverage brackets: `leverageBrackets.json` beside the history, as rows of (notional floor in USDT,
// maintenance rate) per exchange id, with a `source` that says where the table came from. Markets without a table
// may hold positions inside the first bracket only (see the domain's leverage-brackets.ts).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { bracketsFromRates } from '../../../domain/leverage-brackets.js';
import type { LeverageBracket } from '../../../domain/market.js';
import { HistoryFormatError } from './history-format-error.js';

export const LEVERAGE_BRACKETS_FILE = 'leverageBrackets.json';

const row = z.tuple([z.number().nonnegative(), z.number().positive().max(1)]);
const bracketsFileSchema = z.object({
  source: z.string().min(1, 'say where the table came from'),
  brackets: z.record(z.string(), z.array(row).min(1)),
});

/** Exchange id -> its brackets; empty when the file does not exist. */
export async function loadLeverageBrackets(file: string): Promise<Map<string, LeverageBracket[]>> {
  const tables = new Map<string, LeverageBracket[]>();
  if (!existsSync(file)) return tables;
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new HistoryFormatError(file, undefined, `cannot read the leverage brackets: ${(error as Error).message}`);
  }
  const parsed = bracketsFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HistoryFormatError(file, undefined, `not a leverage brackets file: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  for (const [id, rows] of Object.entries(parsed.data.brackets)) {
    if (!rows.some(([floor]) => floor === 0)) {
      throw new HistoryFormatError(file, undefined, `${id}: the first bracket must start at a notional of 0`);
    }
    tables.set(id, bracketsFromRates(rows));
  }
  return tables;
}

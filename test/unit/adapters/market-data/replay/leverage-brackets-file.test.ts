import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLeverageBrackets } from '../../../../../src/adapters/market-data/replay/leverage-brackets-file.js';

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'brackets-')), 'leverageBrackets.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('leverage brackets file', () => {
  it('reads each market\u2019s rows into brackets with derived maintenance amounts', async () => {
    const tables = await loadLeverageBrackets(file({ source: 'test', brackets: { BTCUSDT: [[0, 0.004], [50_000, 0.005]] } }));
    expect(tables.get('BTCUSDT')?.map((b) => [b.notionalFloor, b.maintenanceAmount])).toEqual([[0, 0], [50_000, 50]]);
  });

  it('is empty when the history has no such file', async () => {
    expect((await loadLeverageBrackets(join(tmpdir(), 'no-such-dir', 'leverageBrackets.json'))).size).toBe(0);
  });

  it('names the file and the problem when a table is unusable', async () => {
    await expect(loadLeverageBrackets(file('{ not json'))).rejects.toThrow(/leverageBrackets\.json.*cannot read the leverage brackets/);
    await expect(loadLeverageBrackets(file({ brackets: {} }))).rejects.toThrow(/source/);
    await expect(loadLeverageBrackets(file({ source: 'x', brackets: { BTCUSDT: [[0, 2]] } }))).rejects.toThrow(/BTCUSDT/);
    await expect(loadLeverageBrackets(file({ source: 'x', brackets: { BTCUSDT: [[10, 0.01]] } }))).rejects.toThrow(/must start at a notional of 0/);
  });
});

// A sweep is named by its history folder's files and a worker checks them: the same files give the same fingerprint in
// any folder, a changed byte or file another one, and a trial planned on other files is refused, not replayed.
import { cp } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../../src/adapters/market-data/replay/index.js';
import { folderFingerprint } from '../../../src/cli/folder-fingerprint.js';
import { HistoryCache } from '../../../src/cli/sweep-trial.js';
import { tempTree } from '../../support/temp-tree.js';

const folder = (files: Record<string, string>): Promise<string> => tempTree('fingerprint-', files);

describe('the fingerprint of a folder', () => {
  it('when two folders hold the same files, then they have the same fingerprint; a changed byte, a renamed or an added file changes it', async () => {
    const files = { 'klines/BTCUSDT-15m.csv': '1,2,3\n', 'fundingRate/BTCUSDT-fundingRate.csv': '4,5\n' };
    const base = await folderFingerprint(await folder(files));
    expect(await folderFingerprint(await folder(files))).toBe(base);
    expect(await folderFingerprint(await folder({ ...files, 'klines/BTCUSDT-15m.csv': '1,2,4\n' }))).not.toBe(base);
    expect(await folderFingerprint(await folder({ 'klines/ETHUSDT-15m.csv': '1,2,3\n', 'fundingRate/BTCUSDT-fundingRate.csv': '4,5\n' }))).not.toBe(base);
    expect(await folderFingerprint(await folder({ ...files, 'klines/ETHUSDT-15m.csv': '' }))).not.toBe(base);
  });
});

describe('a worker\u2019s history for a trial', () => {
  it('when the trial was planned on the files this worker holds, then it loads them; on other files, it refuses the trial', async () => {
    const dir = await tempTree('history-', {});
    await cp(bundledHistoryDir(), dir, { recursive: true });
    const planned = await folderFingerprint(dir);
    const histories = new HistoryCache();

    const loaded = await histories.get(dir, ['BTCUSDT'], planned);
    expect(loaded.markets.size).toBe(1);
    const other = planned === '0'.repeat(32) ? '1'.repeat(32) : '0'.repeat(32);
    await expect(histories.get(dir, ['BTCUSDT'], other)).rejects.toThrow(/holds other files than the sweep was planned on/);
  });
});

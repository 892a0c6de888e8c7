// npm run config:docs — regenerates .env.example and the README's configuration table from src/config/variables.ts.
import { readFile, writeFile } from 'node:fs/promises';
import { renderConfigTable, renderEnvExample } from '../config/env-example.js';

export const TABLE_START = '<!-- config-table:start -->';
export const TABLE_END = '<!-- config-table:end -->';

export function withConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${TABLE_START} / ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderConfigTable()}\n${readme.slice(end)}`;
}

async function main(): Promise<void> {
  await writeFile('.env.example', renderEnvExample());
  await writeFile('README.md', withConfigTable(await readFile('README.md', 'utf8')));
  console.log('.env.example and the README configuration table regenerated');
}

if (process.argv[1]?.endsWith('config-docs.ts') || process.argv[1]?.endsWith('config-docs.js')) await main();

import { afterAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../../src/adapters/store/pglite-database.js';

const opened: PgliteDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
});

describe('the embedded Postgres', () => {
  it("keeps a 16 MB shared buffer pool, not PGlite's default of 128 MB", async () => {
    const db = await PgliteDatabase.open(undefined);
    opened.push(db);
    const { rows } = await db.executor.query<{ shared_buffers: string }>('SHOW shared_buffers');
    expect(rows[0]?.shared_buffers).toBe('16MB');
  });
});

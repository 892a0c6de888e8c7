// Which database a sweep's results land in, told apart by an id kept in that database. A worker whose DATABASE_URL
// names another (two users sharing one Redis queue, or a typo on one machine) would record a trial where the sweep
// never looks, and the sweep would wait for it forever; with the id in the job, such a worker refuses the trial
// instead, and the job goes to another worker or fails with that reason.
import { randomUUID } from 'node:crypto';
import type { TradingStateRepository } from '../ports/store.js';

const KEY = 'sweep-database';

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** The id of the sweep's own database, written there by the first sweep that asks. */
export async function sweepDatabaseId(state: TradingStateRepository): Promise<string> {
  const saved = await state.get(KEY);
  if (isId(saved)) return saved;
  await state.put(KEY, randomUUID());
  // Read back: of two sweeps starting at once on a new database, the last write is the one both use.
  const written = await state.get(KEY);
  if (!isId(written)) throw new Error('sweep: the database id could not be written');
  return written;
}

/** Refuses a trial planned for another database than the one this worker records into. */
export async function checkSameDatabase(state: TradingStateRepository, planned: string | undefined): Promise<void> {
  if (planned === undefined) return;
  const own = await state.get(KEY);
  if (own !== planned) {
    throw new Error(
      'this worker records results into another database than the sweep reads them from (its DATABASE_URL, or --schema, differs from the sweep\'s): the trial is left to a worker on the sweep\'s database',
    );
  }
}

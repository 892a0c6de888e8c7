// The active positions, read from the store once and then kept in step with every write this process makes. The
// daemon reads them on every tick (each minute while a position is open); on an embedded database each read is a
// round trip that a year-long replay pays hundreds of thousands of times. One daemon owns a database (the store
// takes a lock), so no other writer can make the copy stale.
import type { Position } from '../domain/trading.js';
import type { NewPosition, PositionClosing, PositionPatch, PositionRepository, Store, StoreRepositories } from '../ports/store.js';

const ACTIVE = new Set(['opening', 'open', 'closing']);

class CachingPositions implements PositionRepository {
  private cached?: Position[];

  constructor(private readonly inner: PositionRepository) {}

  async create(position: NewPosition): Promise<Position> {
    const created = await this.inner.create(position);
    this.put(created);
    return created;
  }

  async update(id: string, patch: PositionPatch): Promise<Position> {
    const updated = await this.inner.update(id, patch);
    this.put(updated);
    return updated;
  }

  async markClosed(id: string, closing: PositionClosing): Promise<boolean> {
    const closed = await this.inner.markClosed(id, closing);
    if (this.cached) this.cached = this.cached.filter((position) => position.id !== id);
    return closed;
  }

  get(id: string): Promise<Position | undefined> {
    return this.inner.get(id);
  }

  async active(): Promise<Position[]> {
    this.cached ??= await this.inner.active();
    return [...this.cached];
  }

  /** Writes made inside a transaction bypass this copy; it is dropped and read again afterwards. */
  forget(): void {
    this.cached = undefined;
  }

  private put(position: Position): void {
    if (!this.cached) return;
    const others = this.cached.filter((p) => p.id !== position.id);
    this.cached = ACTIVE.has(position.status)
      ? [...others, position].sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || Number(a.id) - Number(b.id))
      : others;
  }
}

/** The store, with active positions served from memory. */
export function withCachedActivePositions(store: Store): Store {
  const positions = new CachingPositions(store.positions);
  return {
    ...store,
    positions,
    transaction: async <T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> => {
      try {
        return await store.transaction(work);
      } finally {
        positions.forget();
      }
    },
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

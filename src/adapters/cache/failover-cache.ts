// Redis while it answers, the in-process cache while it does not. Every value is also kept locally, so an outage
// starts with a warm cache instead of a burst of paid AI calls. Logs the switch each way once, not per call.
import type { Cache, Schema } from '../../ports/cache.js';
import type { Logger } from '../../ports/logger.js';
import type { RemoteCache } from './redis-cache.js';

export class FailoverCache implements Cache {
  private remoteUp: boolean;

  constructor(
    private readonly remote: RemoteCache,
    private readonly local: Cache,
    private readonly logger: Logger,
    options: { remoteUp?: boolean } = {},
  ) {
    this.remoteUp = options.remoteUp ?? true;
  }

  /** Whether the last attempt found Redis answering. */
  get usingRemote(): boolean {
    return this.remoteUp;
  }

  async get<T>(key: string, schema: Schema<T>): Promise<T | undefined> {
    if (this.remote.available) {
      try {
        const value = await this.remote.read(key);
        this.markUp();
        if (value !== undefined) {
          const parsed = schema.safeParse(value);
          if (parsed.success) return parsed.data;
        }
      } catch (error) {
        this.markDown(error);
      }
    } else {
      this.markDown(undefined);
    }
    return this.local.get(key, schema);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.local.set(key, value, ttlMs);
    if (!this.remote.available) {
      this.markDown(undefined);
      return;
    }
    try {
      await this.remote.write(key, value, ttlMs);
      this.markUp();
    } catch (error) {
      this.markDown(error);
    }
  }

  private markDown(error: unknown): void {
    if (!this.remoteUp) return;
    this.remoteUp = false;
    const reason = error instanceof Error ? error.message : 'not connected';
    this.logger.warn({ err: reason }, 'redis unavailable, using in-process cache');
  }

  private markUp(): void {
    if (this.remoteUp) return;
    this.remoteUp = true;
    this.logger.info({}, 'redis is back, using it again');
  }
}

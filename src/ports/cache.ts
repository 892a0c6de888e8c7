/** Anything that validates unknown data into a T (a zod schema fits). */
export interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export interface Cache {
  /** undefined when absent, expired, or not valid for `schema`. Never throws for a cache outage. */
  get<T>(key: string, schema: Schema<T>): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
}

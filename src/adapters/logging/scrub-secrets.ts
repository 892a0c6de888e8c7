// Removes known secret values from anything about to be logged or shown: pino's path redaction catches fields
// named like secrets, this catches a key that ended up inside an error message or a URL.

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not scrubbed by value (they would match ordinary text). */
const MIN_SECRET_LENGTH = 6;

export class SecretScrubber {
  private readonly secrets: readonly string[];

  constructor(secrets: readonly string[]) {
    this.secrets = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  text(value: string): string {
    let result = value;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    return result;
  }

  /** A deep copy with every string scrubbed; errors become plain objects with their message and stack. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (value instanceof Date) return value;
    if (value instanceof Error) {
      return { type: value.name, message: this.text(value.message), stack: value.stack ? this.text(value.stack) : undefined };
    }
    if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = this.value(item, depth + 1);
    return copy;
  }
}

// Reading a request's input: the query string as one value per name, and a small JSON body.
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { ApiError } from './route.js';

const MAX_BODY_BYTES = 64 * 1024;

export function queryObject(url: URL): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (value !== '') values[name] = value;
  return values;
}

export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  // A cross-site form cannot send application/json without a CORS preflight, which this server never grants.
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'send the body as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `the body is larger than ${MAX_BODY_BYTES / 1024} KB`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'the body is not valid JSON');
  }
}

/** Parses with `schema`; a failure lists each field and what is wrong with it, never the value that was sent. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`);
  throw new ApiError(400, `invalid ${where}`, issues);
}

// One API endpoint as data: method, path, who may call it, the zod schemas of its input and output, and its
// handler. The server parses input and encodes output through the schemas; the OpenAPI document is read from them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Role } from '../auth/credentials.js';
import type { Session } from '../auth/sessions.js';

/** public: anyone; viewer: any logged-in user; owner: the owner only. */
export type Access = 'public' | 'viewer' | 'owner';

export interface RequestContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly session?: Session;
  /** The session cookie's token, when one was sent. */
  readonly sessionToken?: string;
  readonly address: string;
  /** Reached over HTTPS (directly or through a reverse proxy that says so). */
  readonly secure: boolean;
}

/** Who asked, as the engine's logs and messages name them. */
export function requester(context: RequestContext): string {
  return `web:${context.session?.role ?? 'anonymous'}`;
}

/** A reply the handler writes itself (CSV, a stream), instead of JSON encoded through the schema. */
export class RawReply {
  constructor(readonly write: (response: ServerResponse) => void | Promise<void>) {}
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: readonly string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export type ResponseKind = { readonly json: z.ZodType } | { readonly contentType: string };

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly context: RequestContext;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** OpenAPI style: `/api/positions/{id}/close`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  /** State-changing requests need the session's CSRF token, except logging in, which has no session yet. */
  readonly csrf?: boolean;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: ResponseKind;
  handle(input: RouteInput<unknown, unknown, unknown>): Promise<unknown>;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Builds a route whose handler is typed from its schemas. */
export function route<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined, R extends ResponseKind>(spec: {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly csrf?: boolean;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  handle(input: RouteInput<Output<P>, Output<Q>, Output<B>>): Promise<R extends { json: infer S } ? Output<S> | RawReply : RawReply>;
}): Route {
  return spec as unknown as Route;
}

export function hasRole(session: Session | undefined, access: Access): boolean {
  if (access === 'public') return true;
  if (!session) return false;
  const allowed: Record<Exclude<Access, 'public'>, readonly Role[]> = { viewer: ['viewer', 'owner'], owner: ['owner'] };
  return allowed[access].includes(session.role);
}

/** `/api/trades/{id}` → a matcher giving `{ id }`. */
export function pathMatcher(path: string): (actual: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}$`);
  return (actual) => {
    const match = regex.exec(actual);
    if (!match) return undefined;
    try {
      return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
    } catch {
      // A broken escape (`%E0`) names nothing: no route matches, and the caller answers 404 rather than 500.
      return undefined;
    }
  };
}

// The OpenAPI 3.1 document, read from the route table: the same zod schemas that parse input and encode output
// describe them here, so the document cannot drift from what the server does.
import { z } from 'zod';
import { ApiErrorBody } from './schemas.js';
import type { Route } from './route.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, location: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const object = schemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: schemaOf(ApiErrorBody) } } });

export function openApiDocument(routes: readonly Route[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const success =
      'json' in route.response
        ? { description: 'OK', content: { 'application/json': { schema: schemaOf(route.response.json) } } }
        : { description: 'OK', content: { [route.response.contentType]: { schema: { type: 'string' } } } };
    const state = route.method !== 'GET' && route.csrf !== false;
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: {
        summary: route.summary,
        tags: [route.tag],
        operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ?? '').toUpperCase())}`,
        parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
        ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body) } } } } : {}),
        ...(route.access === 'public' ? { security: [] } : { security: [state ? { session: [], csrf: [] } : { session: [] }] }),
        'x-access': route.access,
        responses: {
          '200': success,
          '400': errorResponse('invalid input'),
          ...(route.access === 'public' ? {} : { '401': errorResponse('not logged in'), '403': errorResponse('not allowed: read-only login, or no CSRF token') }),
          ...(route.path === '/api/login' ? { '429': errorResponse('too many failed logins') } : {}),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trading daemon dashboard API',
      version,
      description:
        'Read the trading record and command the daemon. Log in with POST /api/login; the session cookie is HttpOnly and ' +
        'SameSite=Strict. Every POST but the login needs the X-CSRF-Token header from GET /api/session.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ltd_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      },
    },
    paths,
  };
}

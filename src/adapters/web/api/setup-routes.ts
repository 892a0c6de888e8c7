// The setup wizard's endpoints (owner only). The checks and the file are the composition root's (they need the
// configuration schema, the exchange client and the messenger); this file only carries them over HTTP. No answer
// ever contains a secret: keys go in, names come out.
import { z } from 'zod';
import { ApiError, route, type Route } from './route.js';
import { list } from './schemas.js';

export const LIVE_RISK_SENTENCE = 'I UNDERSTAND THE RISKS';

export interface SetupVariable {
  readonly name: string;
  readonly section: string;
  readonly secret: boolean;
  readonly default?: string;
  readonly allowed: string;
  readonly description: string;
}

export interface SetupServices {
  /** Whether the configuration file exists, its plain values, and which secrets it sets (never their values). */
  current(): Promise<{ readonly file: string; readonly exists: boolean; readonly values: Readonly<Record<string, string>>; readonly secretsSet: readonly string[] }>;
  variables(): readonly SetupVariable[];
  /** Every problem the daemon's own configuration schema finds in these values; empty when it would start. */
  validate(values: Readonly<Record<string, string>>): Promise<readonly string[]>;
  /** Whether the daemon would trade live with these values over the file's, as its own parser reads them. */
  tradesLive(values: Readonly<Record<string, string>>): Promise<boolean>;
  checkExchange(keys: { readonly apiKey: string; readonly secret: string; readonly sandbox: boolean }): Promise<{ readonly ok: boolean; readonly detail: string; readonly warnings: readonly string[] }>;
  testTelegram(settings: { readonly token: string; readonly chatId: string }): Promise<{ readonly ok: boolean; readonly detail: string }>;
  markets(): Promise<readonly string[]>;
  /** Writes the file (secrets encrypted); returns the names written encrypted. */
  write(values: Readonly<Record<string, string>>): Promise<{ readonly file: string; readonly encrypted: readonly string[]; readonly note?: string }>;
}

const Values = z.record(z.string().regex(/^[A-Z][A-Z0-9_]{1,60}$/), z.string().max(2_000));

export function setupRoutes(services: SetupServices): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/setup',
      summary: 'What the wizard starts from: the file, its plain values, which secrets are set, every variable',
      tag: 'setup',
      access: 'owner',
      response: {
        json: z.object({
          file: z.string(),
          exists: z.boolean(),
          values: z.record(z.string(), z.string()),
          secretsSet: list(z.string()),
          variables: list(z.object({ name: z.string(), section: z.string(), secret: z.boolean(), default: z.string().optional(), allowed: z.string(), description: z.string() })),
        }),
      },
      handle: async () => ({ ...(await services.current()), variables: services.variables() }),
    }),
    route({
      method: 'GET',
      path: '/api/setup/markets',
      summary: "The venue's USDT perpetuals, to pick SYMBOLS from",
      tag: 'setup',
      access: 'owner',
      response: { json: z.object({ symbols: list(z.string()) }) },
      handle: async () => ({ symbols: await services.markets() }),
    }),
    route({
      method: 'POST',
      path: '/api/setup/check-exchange',
      summary: 'Check API keys on the venue: trading allowed, withdrawal not',
      tag: 'setup',
      access: 'owner',
      body: z.object({ apiKey: z.string().min(8).max(200), secret: z.string().min(8).max(200), sandbox: z.boolean().default(false) }),
      response: { json: z.object({ ok: z.boolean(), detail: z.string(), warnings: list(z.string()) }) },
      handle: async ({ body }) => services.checkExchange(body),
    }),
    route({
      method: 'POST',
      path: '/api/setup/check-telegram',
      summary: 'Send a test message to the chat with the bot token',
      tag: 'setup',
      access: 'owner',
      body: z.object({ token: z.string().min(10).max(200), chatId: z.string().regex(/^-?\d{1,20}$/) }),
      response: { json: z.object({ ok: z.boolean(), detail: z.string() }) },
      handle: async ({ body }) => services.testTelegram(body),
    }),
    route({
      method: 'POST',
      path: '/api/setup/save',
      summary: 'Validate the values with the daemon\'s schema and write the configuration file; live needs the risk sentence',
      tag: 'setup',
      access: 'owner',
      body: z.object({ values: Values, acknowledgement: z.string().max(100).optional() }),
      response: { json: z.object({ ok: z.literal(true), file: z.string(), encrypted: list(z.string()), note: z.string().optional() }) },
      handle: async ({ body }) => {
        const values = { ...body.values };
        // As the daemon reads the file ("0", "no" and "FALSE" are false too), and whatever the file held before.
        const live = await services.tradesLive(values);
        if (live && body.acknowledgement !== LIVE_RISK_SENTENCE) {
          throw new ApiError(400, 'live trading needs the risk sentence', [`acknowledgement: type "${LIVE_RISK_SENTENCE}" to trade real money`]);
        }
        if (live) values.LIVE_TRADING_ACKNOWLEDGED = LIVE_RISK_SENTENCE;
        const problems = await services.validate(values);
        if (problems.length > 0) throw new ApiError(400, 'the configuration would not start', problems);
        return { ok: true as const, ...(await services.write(values)) };
      },
    }),
  ];
}

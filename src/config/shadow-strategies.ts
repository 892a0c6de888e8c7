// SHADOW_STRATEGIES: paper variants that trade beside the main account on the same scans. The value is inline JSON
// or the path of a JSON file; each variant names the settings it changes, and its full configuration is the main one
// with those changes, validated by the same rules, so a variant can never be looser than what the schema allows.
import { z } from 'zod';
import type { AppConfig, ShadowStrategy } from './app-config.js';
import { buildAppConfig } from './build-app-config.js';
import { parseVariables } from './parse-variables.js';
import { VARIABLES } from './variables.js';

/** At most this many variants: each is an engine with its own paper account and store in the same process. */
export const MAX_SHADOWS = 5;

/** What a variant may change: its thresholds, sizing, exits, starting capital and AI models, never venue, keys or storage. */
const CHANGEABLE = new Set([
  ...VARIABLES.filter((spec) => spec.section === 'risk' || spec.section === 'exits').map((spec) => spec.name),
  'INITIAL_CAPITAL',
  'AI_MODE',
  'CLAUDE_MODEL',
  'DEEPSEEK_MODEL',
  'GROK_MODEL',
]);

const PROVIDERS = ['claude', 'deepseek', 'grok'] as const;

const definitionSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,23}$/, 'a name of 1-24 lower-case letters, digits or _, starting with a letter'),
    settings: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .refine((settings) => Object.keys(settings).every((name) => CHANGEABLE.has(name)), {
        message: `only these settings may differ: ${[...CHANGEABLE].join(', ')}`,
      })
      .default({}),
    analysts: z
      .array(z.enum(PROVIDERS))
      .min(2, 'at least two analysts: one voice never trades')
      .refine((analysts) => new Set(analysts).size === analysts.length, { message: 'an analyst is listed twice; each model is one voice' })
      .optional(),
    quorum: z.number().int().min(2).max(3).optional(),
    promptNote: z.string().trim().min(1).max(1_000).optional(),
  })
  .strict()
  .refine((shadow) => shadow.quorum === undefined || shadow.analysts === undefined || shadow.quorum <= shadow.analysts.length, {
    message: 'quorum is more than the number of analysts',
  });

const definitionsSchema = z
  .array(definitionSchema)
  .min(1)
  .max(MAX_SHADOWS)
  .refine((shadows) => new Set(shadows.map((shadow) => shadow.name)).size === shadows.length, { message: 'two variants share a name' });

export type ShadowDefinition = z.infer<typeof definitionSchema>;

/** Inline JSON when it starts with `[`, otherwise the path of a JSON file. */
export function readShadowDefinitions(
  value: string | undefined,
  readFile: (path: string) => string,
): { definitions: ShadowDefinition[]; problems: string[] } {
  if (value === undefined || value.trim() === '') return { definitions: [], problems: [] };
  const inline = value.trim().startsWith('[');
  let text: string;
  try {
    text = inline ? value : readFile(value.trim());
  } catch {
    return { definitions: [], problems: [`SHADOW_STRATEGIES: cannot read the file ${JSON.stringify(value.trim())}; allowed: inline JSON (starting with [) or a readable JSON file.`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { definitions: [], problems: [`SHADOW_STRATEGIES: not valid JSON (${(error as Error).message}).`] };
  }
  const parsed = definitionsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `SHADOW_STRATEGIES${issue.path.map((part) => `[${JSON.stringify(part)}]`).join('')}: ${issue.message}.`);
    return { definitions: [], problems };
  }
  return { definitions: parsed.data, problems: [] };
}

/**
 * Each variant's configuration: the main environment with the variant's settings on top, in paper mode, checked by
 * the same parser. A variant asks only AI providers the main account has keys for.
 */
export function shadowStrategies(
  definitions: readonly ShadowDefinition[],
  merged: Readonly<Record<string, string | undefined>>,
  main: AppConfig,
): { shadows: ShadowStrategy[]; problems: string[] } {
  const shadows: ShadowStrategy[] = [];
  const problems: string[] = [];
  for (const definition of definitions) {
    const label = `SHADOW_STRATEGIES[${definition.name}]`;
    const changes = Object.fromEntries(Object.entries(definition.settings).map(([name, value]) => [name, String(value)]));
    const parsed = parseVariables(VARIABLES, { ...merged, ...changes, USE_PAPER_TRADING: 'true' });
    const built = parsed.problems.length === 0 ? buildAppConfig(parsed.values) : undefined;
    const found = [...parsed.problems, ...(built?.problems ?? [])];
    const missing = (definition.analysts ?? []).filter((name) => main.ai[name] === undefined);
    if (missing.length > 0) found.push(`analysts: ${missing.join(', ')} has no API key in the main configuration.`);
    // Without its own list a variant asks every provider with a key; with fewer than two, the three built-in analysts.
    const keyed = PROVIDERS.filter((name) => main.ai[name] !== undefined).length;
    const voices = definition.analysts?.length ?? (keyed >= 2 ? keyed : 3);
    if (definition.quorum !== undefined && definition.quorum > voices) {
      found.push(`quorum: ${definition.quorum} is more than the ${voices} analysts this variant would have (the providers with an API key), so it could never trade.`);
    }
    if (found.length > 0 || !built) {
      problems.push(...found.map((problem) => `${label}.${problem}`));
      continue;
    }
    const config = built.config;
    shadows.push({
      name: definition.name,
      config: definition.quorum === undefined ? config : { ...config, consensus: { ...config.consensus, minAgreeing: definition.quorum } },
      changes,
      ...(definition.analysts ? { analysts: definition.analysts } : {}),
      ...(definition.promptNote ? { promptNote: definition.promptNote } : {}),
    });
  }
  return { shadows, problems };
}

// What a sweep worker tells the child process BullMQ forks for its sandboxed processor (sweep-trial-processor.ts):
// where results go and the worker's name. BullMQ starts the child with the processor file only, so the settings
// travel in one environment variable of the fork, set by the parent for its own children (not a user setting).
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const PROCESSOR_SETTINGS_VARIABLE = 'SWEEP_TRIAL_PROCESSOR_SETTINGS';

export const processorSettingsSchema = z.object({
  /** The shared Postgres every worker writes its trials to. */
  databaseUrl: z.string().min(1),
  schema: z.string().min(1).optional(),
  /** Recorded with each trial: which worker (machine/pid) ran it. */
  worker: z.string().min(1),
});
export type ProcessorSettings = z.infer<typeof processorSettingsSchema>;

export function processorEnvironment(settings: ProcessorSettings): Record<string, string> {
  return { [PROCESSOR_SETTINGS_VARIABLE]: JSON.stringify(processorSettingsSchema.parse(settings)) };
}

export function readProcessorSettings(environment: NodeJS.ProcessEnv): ProcessorSettings {
  const text = environment[PROCESSOR_SETTINGS_VARIABLE];
  if (!text) throw new Error(`the sweep trial processor runs in a child of a sweep worker, which sets ${PROCESSOR_SETTINGS_VARIABLE}`);
  return processorSettingsSchema.parse(JSON.parse(text));
}

/** The processor file beside this one, .ts under tsx and .js when compiled: BullMQ imports it in the child. */
export const trialProcessorFile = (): URL => new URL(`./sweep-trial-processor${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** What the child reports for each trial (the job's return value): the worker and what the trial cost the child. */
export const trialCostSchema = z.object({
  worker: z.string(),
  trialId: z.string(),
  /** The child process's CPU time (user + system) over the trial and its recording. */
  cpuMs: z.number(),
  wallMs: z.number(),
  /** Set on a child's first trial: from the fork to the processor ready (Node start, module load, store open). */
  childStartMs: z.number().optional(),
  /** The CPU time the child spent on that start-up. */
  childStartCpuMs: z.number().optional(),
  /** How many trials this child has run, this one included (a reused child shares its loaded history). */
  childTrials: z.number().int(),
});
export type TrialCost = z.infer<typeof trialCostSchema>;

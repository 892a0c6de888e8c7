// What a sweep worker tells the child process BullMQ forks for its sandboxed processor (src/cli/sweep-trial-processor.ts):
// where results go and the worker's name. BullMQ starts the child with the processor file only, so the settings
// travel in one environment variable of the fork, set by the parent for its own children (not a user setting). Here,
// because only the configuration reads the environment.
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

/** The forked child's whole environment: this process's (as a fork would inherit it) plus the processor's settings. */
export function processorEnvironment(settings: ProcessorSettings, environment: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...environment, [PROCESSOR_SETTINGS_VARIABLE]: JSON.stringify(processorSettingsSchema.parse(settings)) };
}

export function readProcessorSettings(environment: NodeJS.ProcessEnv = process.env): ProcessorSettings {
  const text = environment[PROCESSOR_SETTINGS_VARIABLE];
  if (!text) throw new Error(`the sweep trial processor runs in a child of a sweep worker, which sets ${PROCESSOR_SETTINGS_VARIABLE}`);
  return processorSettingsSchema.parse(JSON.parse(text));
}

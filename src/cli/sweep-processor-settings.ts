// The sandboxed processor's file and what it reports per trial. What the worker tells it travels in the fork's
// environment (src/config/sweep-processor.ts).
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The processor file beside this one, .ts under tsx and .js when compiled: BullMQ imports it in the child. */
export const trialProcessorFile = (): URL => new URL(`./sweep-trial-processor${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** What the child reports for each trial (the job's return value): the worker and what the trial cost the child. */
export const trialCostSchema = z.object({
  worker: z.string(),
  trialId: z.string(),
  /** The child process's CPU time (user + system) over the trial and its recording. */
  cpuMs: z.number(),
  wallMs: z.number(),
  /** Of `cpuMs`, the child's main thread (the replay itself); the rest ran on V8's compiler and collector threads. */
  mainThreadCpuMs: z.number().optional(),
  /** Set on a child's first trial: from the fork to the processor ready (Node start, module load, store open). */
  childStartMs: z.number().optional(),
  /** The CPU time the child spent on that start-up. */
  childStartCpuMs: z.number().optional(),
  /** How many trials this child has run, this one included (a reused child shares its loaded history). */
  childTrials: z.number().int(),
});
export type TrialCost = z.infer<typeof trialCostSchema>;

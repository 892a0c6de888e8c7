// The owner's commands. They go to the engine's OwnerControl, which hands them to the daemon loop (the only writer
// of positions and breakers); nothing here touches the exchange or the store.
import { setTimeout as wait } from 'node:timers/promises';
import { z } from 'zod';
import type { OwnerControl } from '../../../ports/control.js';
import { ApiError, requester, route, type Route } from './route.js';
import { Breaker, Done, list, Trade } from './schemas.js';

/**
 * How long a command waits for the loop's answer before the page is told it is under way. The loop carries commands
 * out between its steps, after a scan in flight (AI answers take seconds): a proxy in front of the dashboard (nginx
 * waits 60 s) would otherwise cut the request, and the page would call a command that is under way refused.
 * Wall-clock time, as the proxy's is, not the trading clock.
 */
export const COMMAND_ANSWER_WITHIN_MS = 20_000;

/** The outcome, or undefined once `ms` have passed without one (the command goes on either way). */
async function within<T>(outcome: Promise<T>, ms: number): Promise<T | undefined> {
  const stop = new AbortController();
  try {
    return await Promise.race([outcome, wait(ms, undefined, { signal: stop.signal, ref: false }).catch(() => undefined)]);
  } finally {
    stop.abort();
  }
}

export function commandRoutes(control: OwnerControl, answerWithinMs = COMMAND_ANSWER_WITHIN_MS): Route[] {
  return [
    route({
      method: 'POST',
      path: '/api/control/pause',
      summary: 'Pause new entries; open positions stay protected and monitored',
      tag: 'commands',
      access: 'owner',
      response: { json: Done.extend({ pending: z.boolean().optional().describe('true: the daemon carries it out at its next step') }) },
      handle: async ({ context }) => {
        const paused = await within(control.pauseEntries(requester(context)).then(() => true), answerWithinMs);
        if (paused === undefined) {
          return { ok: true as const, message: 'pause requested: the daemon carries it out at its next step, before any entry a scan in flight would send', pending: true };
        }
        return { ok: true as const, message: 'new entries paused' };
      },
    }),
    route({
      method: 'POST',
      path: '/api/control/resume',
      summary: 'Resume new entries after a pause',
      tag: 'commands',
      access: 'owner',
      response: {
        json: Done.extend({
          stillBlocking: list(Breaker).optional().describe('what still holds entries back after the resume; absent while it is under way'),
          pending: z.boolean().optional().describe('true: the daemon carries it out at its next step'),
        }),
      },
      handle: async ({ context }) => {
        const stillBlocking = await within(control.resumeEntries(requester(context)), answerWithinMs);
        if (stillBlocking === undefined) {
          return { ok: true as const, message: 'resume requested: the daemon carries it out at its next step; Telegram tells what it lifted', pending: true };
        }
        const message =
          stillBlocking.length === 0 ? 'new entries resumed' : `new entries still wait: ${stillBlocking.map((block) => block.detail).join('; ')}`;
        return { ok: true as const, message, stillBlocking };
      },
    }),
    route({
      method: 'POST',
      path: '/api/positions/{id}/close',
      summary: 'Close an open position at market; the body must confirm it',
      tag: 'commands',
      access: 'owner',
      params: z.object({ id: z.string().regex(/^[\w-]{1,40}$/) }),
      body: z.object({ confirm: z.literal(true).describe('true: the owner confirmed the close') }),
      response: { json: Done.extend({ trade: Trade.optional(), pending: z.boolean().optional() }) },
      handle: async ({ params, context }) => {
        // Carried out by the daemon's loop between its steps; the answer comes once it is done, or says it is under way.
        const outcome = await within(control.closePosition(params.id, requester(context)), answerWithinMs);
        if (outcome === undefined) {
          return { ok: true as const, message: `close of position ${params.id} requested: the daemon carries it out between its steps and reports the trade here and on Telegram once it is booked`, pending: true };
        }
        if (outcome.status === 'not_open') throw new ApiError(404, `position ${params.id} is not open`);
        if (outcome.status === 'pending') return { ok: true as const, message: `closing position ${params.id}: ${outcome.detail}`, pending: true };
        return { ok: true as const, message: `position ${params.id} closed`, trade: outcome.trade };
      },
    }),
  ];
}

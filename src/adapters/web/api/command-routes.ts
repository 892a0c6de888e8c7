// The owner's commands. They go to the engine's OwnerControl, which hands them to the daemon loop (the only writer
// of positions and breakers); nothing here touches the exchange or the store.
import { z } from 'zod';
import type { OwnerControl } from '../../../ports/control.js';
import { ApiError, requester, route, type Route } from './route.js';
import { Breaker, Done, list, Trade } from './schemas.js';

export function commandRoutes(control: OwnerControl): Route[] {
  return [
    route({
      method: 'POST',
      path: '/api/control/pause',
      summary: 'Pause new entries; open positions stay protected and monitored',
      tag: 'commands',
      access: 'owner',
      response: { json: Done },
      handle: async ({ context }) => {
        await control.pauseEntries(requester(context));
        return { ok: true as const, message: 'new entries paused' };
      },
    }),
    route({
      method: 'POST',
      path: '/api/control/resume',
      summary: 'Resume new entries after a pause',
      tag: 'commands',
      access: 'owner',
      response: { json: Done.extend({ stillBlocking: list(Breaker).describe('what still holds entries back after the resume') }) },
      handle: async ({ context }) => {
        const stillBlocking = await control.resumeEntries(requester(context));
        const message =
          stillBlocking.length === 0 ? 'new entries resumed' : `pause lifted; new entries still wait: ${stillBlocking.map((block) => block.detail).join('; ')}`;
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
        // Carried out by the daemon's loop between its steps; the answer comes once it is done.
        const outcome = await control.closePosition(params.id, requester(context));
        if (outcome.status === 'not_open') throw new ApiError(404, `position ${params.id} is not open`);
        if (outcome.status === 'pending') return { ok: true as const, message: `closing position ${params.id}: ${outcome.detail}`, pending: true };
        return { ok: true as const, message: `position ${params.id} closed`, trade: outcome.trade };
      },
    }),
  ];
}

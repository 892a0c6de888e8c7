// Requests the owner sent to a process that stopped before carrying them out (a crash, a reboot mid-step): found
// written down at the next start. A pause only ever holds entries back, so it is carried out however late; a resume or
// a close acts on a market that has moved since, and one older than an hour waits for the owner to ask again, unless it
// was already under way (the position marked closing, which the checks carry through however late) or went through as
// the daemon stopped. Either way the owner is told, since the answer they were waiting for never came.
import { describeError } from '../domain/errors.js';
import { MINUTE_MS, utcMinute } from '../domain/time.js';
import type { Position } from '../domain/trading.js';
import { OWNER_REQUEST_MAX_AGE_MS, type CloseOutcome } from '../ports/control.js';
import type { EngineContext } from './engine-context.js';
import type { IncidentTracker } from './incidents.js';
import type { OwnerCommand, OwnerCommandQueue } from './owner-commands.js';


function ago(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** The position a /close is about, as stored now; undefined for any other request. */
async function positionOf(ctx: EngineContext, command: OwnerCommand): Promise<Position | undefined> {
  return command.kind === 'close' ? ctx.store.positions.get(command.positionId) : undefined;
}

function describe(command: OwnerCommand, position: Position | undefined): string {
  if (command.kind !== 'close') return `/${command.kind}`;
  return position ? `/close of ${position.symbol} ${position.side.toUpperCase()} (position ${position.id})` : `/close of position ${command.positionId}`;
}

/** Booked as the owner's close: it filled as the daemon stopped, and reconciliation booked it at the start. */
function closedByOwner(position: Position | undefined): boolean {
  return position?.status === 'closed' && position.closeReason === 'manual';
}

function outcomeInWords(command: OwnerCommand, result: unknown): string {
  if (command.kind !== 'close') return '';
  const outcome = result as CloseOutcome;
  if (outcome.status === 'closed') return '; the position is closed (the trade is reported on its own)';
  if (outcome.status === 'not_open') return '; the position was no longer open, so nothing was closed';
  return `; ${outcome.detail}`;
}

export async function carryOutUnfinished(
  ctx: EngineContext,
  commands: OwnerCommandQueue,
  incidents: IncidentTracker,
  carryOut: (command: OwnerCommand) => Promise<unknown>,
): Promise<void> {
  for (const request of await commands.unfinished()) {
    const age = ctx.clock.now().getTime() - request.requestedAt.getTime();
    const position = await positionOf(ctx, request.command);
    const what = `${describe(request.command, position)}, sent ${utcMinute(request.requestedAt)} by ${request.command.requestedBy}`;
    if (closedByOwner(position)) {
      // Not "no longer open, so nothing was closed": the owner's close did close it.
      const message = `Carried out before the restart: your ${what}. Its close went through as the daemon stopped; the trade is reported on its own.`;
      await incidents.notice(`request:${request.id}`, 'warning', message);
    } else if (request.command.kind !== 'pause' && position?.status !== 'closing' && age > OWNER_REQUEST_MAX_AGE_MS) {
      // A position marked closing is not held to the age: its close was under way as the daemon stopped, and the checks
      // carry it through however late, so "not carried out" would be untrue.
      const message = `Not carried out: your ${what}. The daemon stopped before it could, and started again ${ago(age)} later. Send it again if you still want it.`;
      await incidents.notice(`request:${request.id}`, 'warning', message);
    } else {
      // One that fails is told as such, and the rest are still carried out: none waits, unsaid, for another restart.
      const message = await carryOut(request.command).then(
        (result) => `Carried out after a restart: your ${what}, which the daemon had not carried out when it stopped${outcomeInWords(request.command, result)}.`,
        (error: unknown) => `Not carried out: your ${what}, which the daemon had not carried out when it stopped. Trying it after the restart failed: ${describeError(error)}. Send it again if you still want it.`,
      );
      await incidents.notice(`request:${request.id}`, 'warning', message);
    }
    await commands.finished(request.id);
  }
}

// The owner's commands at random moments while a tenth of the venue's requests fail: /close (confirmed with its
// button), /pause and /resume over Telegram. The loop is the only writer of positions and breakers, so however the
// commands fall against the daemon's own closes and the exchange's stops, every trade counts once: the daily figures
// and the breakers must equal what the trades add up to.
import { runAudited } from '../support/final-audit.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import type { Bookkeeping } from '../support/soak-database.js';
import { waitUntil, WaitTimeout } from '../support/wait.js';
import { TELEGRAM_CHAT, World } from '../support/world.js';
import { seededRandom } from '../../test/peers/binance-usdm/random-faults.js';

const SPEED = 60;
const START = new Date('2025-10-08T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FAULT_RATE = 0.1;
/** Real ms the harness waits for the answer to one command. */
const ANSWER_LIMIT_MS = 30_000;
/** Money compared after the store's 12 decimals and float sums. */
const CENT_FRACTION = 1e-6;

type Command = 'close' | 'pause' | 'resume';

export const ownerCommands: Scenario = {
  name: 'owner-commands',
  title: 'Owner commands at random moments, during exchange faults',
  quick: true,
  async run(context: ScenarioContext): Promise<ScenarioResult> {
    const report = new ScenarioReport(this.name, this.title, context.log);
    const random = seededRandom(context.seed + 17);
    const duration = context.quick ? HOUR / 2 : 6 * HOUR;
    const world = await World.create({ dir: context.dir, start: START, speed: SPEED });
    return runAudited(world, report, { mustStayUp: true, notifications: 'strict' }, async () => {
      if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
      const from = world.simNow();
      world.venue.randomFaults({ rate: FAULT_RATE, seed: context.seed, holdMs: 2_000 });
      const sent: Record<Command, number> = { close: 0, pause: 0, resume: 0 };
      const unanswered: string[] = [];
      let closesConfirmed = 0;
      let lastResumeAt = 0;
      while (world.simNow() < from + duration && world.daemon.alive) {
        await world.untilSim(world.simNow() + (0.5 + random() * 3.5) * MINUTE, { whileAlive: true });
        const pick = random();
        const command: Command = pick < 0.5 ? 'close' : pick < 0.75 ? 'pause' : 'resume';
        sent[command] += 1;
        if (command === 'resume') lastResumeAt = world.simNow();
        const answer = command === 'close' ? await closeOne(world) : await simple(world, command);
        if (answer === 'unanswered') unanswered.push(`/${command} at ${formatDuration(world.simNow() - from)}`);
        if (answer === 'confirmed') closesConfirmed += 1;
      }
      world.venue.randomFaults(undefined);
      report.simulatedMs = world.simNow() - START.getTime();
      const total = sent.close + sent.pause + sent.resume;
      report.inject(
        `${total} owner commands at random moments over ${formatDuration(duration)} simulated (${sent.close} /close, ${sent.pause} /pause, ${sent.resume} /resume), with ${FAULT_RATE * 100}% of venue requests failing`,
        total + world.venue.injectedFaults.length,
      );
      report.check('every command answered', unanswered.length === 0, unanswered.length === 0 ? `${total} of ${total}` : `no answer to ${unanswered.join(', ')}`);
      report.figure('closes confirmed by the owner', closesConfirmed);
      // The daemon books what it closed before the books are compared.
      await waitUntil(async () => (await world.database.positions()).every((p) => p.status !== 'closing'), 'closing positions to be booked', 30_000).catch(
        (error: unknown) => {
          if (!(error instanceof WaitTimeout)) throw error;
        },
      );
      const books = await world.database.bookkeeping();
      const trades = await world.database.trades();
      report.figure('trades closed by the owner', trades.filter((t) => t.reason === 'manual').length);
      checkBooks(report, books, lastResumeAt);
    });
  },
};

/** /pause or /resume, and its reply. */
async function simple(world: World, command: 'pause' | 'resume'): Promise<'answered' | 'unanswered'> {
  const expected = command === 'pause' ? 'New entries paused' : 'New entries allowed again';
  const before = world.telegram.sent.length;
  world.telegram.pushMessage(Number(TELEGRAM_CHAT), `/${command}`);
  return answered(world, before, (text) => text.includes(expected) || text.includes(`/${command} failed`));
}

/** /close, then a press on the first "Confirm close" button of the prompt, and the prompt's final text. */
async function closeOne(world: World): Promise<'confirmed' | 'answered' | 'unanswered'> {
  const before = world.telegram.sent.length;
  world.telegram.pushMessage(Number(TELEGRAM_CHAT), '/close');
  const prompted = await answered(world, before, (text) => text.startsWith('Close at market?') || text.includes('No open position') || text.includes('/close failed'));
  if (prompted === 'unanswered') return prompted;
  const prompt = world.telegram.sent.slice(before).find((message) => message.visible.startsWith('Close at market?'));
  const button = (prompt?.replyMarkup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard?.[0]?.[0]?.callback_data;
  if (!prompt || !button) return 'answered';
  const pressedAt = world.telegram.sent.length;
  world.telegram.pushCallback(Number(TELEGRAM_CHAT), button, prompt.messageId);
  const done = await answered(world, pressedAt, (text, messageId) => messageId === prompt.messageId || text.includes('/close failed'));
  return done === 'answered' ? 'confirmed' : done;
}

async function answered(world: World, from: number, matches: (text: string, messageId: number) => boolean): Promise<'answered' | 'unanswered'> {
  try {
    await waitUntil(() => world.telegram.sent.slice(from).some((message) => matches(message.visible, message.messageId)), 'an answer', ANSWER_LIMIT_MS);
    return 'answered';
  } catch (error) {
    if (error instanceof WaitTimeout) return 'unanswered';
    throw error;
  }
}

/** Each day's figures equal its trades; the breakers' day and streak equal what the trades say. */
export function checkBooks(report: ScenarioReport, books: Bookkeeping, lastResumeAt: number): void {
  const wrongDays = books.days.filter((d) => d.trades !== d.dayTrades || Math.abs(d.tradesNet - d.dayNet) > CENT_FRACTION);
  report.tally.duplicates += wrongDays.length;
  report.check(
    'daily figures equal the sum over trades',
    wrongDays.length === 0,
    wrongDays.length === 0
      ? `${books.days.length} day(s), ${books.days.reduce((n, d) => n + d.trades, 0)} trades, each counted once`
      : wrongDays.map((d) => `${d.day}: ${d.trades} trades (${d.tradesNet.toFixed(4)}) but the day says ${d.dayTrades} (${d.dayNet.toFixed(4)})`).join('; '),
  );
  const breakers = books.breakers;
  const today = books.days.find((d) => d.day === breakers?.day);
  const realizedOk = breakers !== undefined && Math.abs(breakers.realizedToday - (today?.tradesNet ?? 0)) <= CENT_FRACTION;
  if (!realizedOk) report.tally.duplicates += 1;
  report.check(
    "the breakers' daily loss equals the day's trades",
    realizedOk,
    `breakers ${breakers?.realizedToday.toFixed(4) ?? 'missing'} for ${breakers?.day ?? '?'}, trades ${(today?.tradesNet ?? 0).toFixed(4)}`,
  );
  // The streak: a /resume sets it back to zero, so only losses after the last one must all be there; never more.
  let trailing = 0;
  for (let index = books.netByClose.length - 1; index >= 0 && (books.netByClose[index] ?? 0) < 0; index -= 1) trailing += 1;
  const streak = breakers?.consecutiveLosses ?? -1;
  const streakOk = streak >= 0 && streak <= trailing && (lastResumeAt > 0 || streak === trailing);
  if (!streakOk) report.tally.duplicates += 1;
  report.check('the losing streak counts each loss once', streakOk, `streak ${streak}, trailing losses in the trades ${trailing}`);
}

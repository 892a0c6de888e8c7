// The Telegram Bot API unreachable for a simulated hour while the daemon trades: every message written meanwhile
// must arrive afterwards, once and in order, and the owner's commands must work again.
import { runAudited } from '../support/final-audit.js';
import { receivedTexts } from '../support/notification-audit.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import { waitUntil, WaitTimeout } from '../support/wait.js';
import { TELEGRAM_CHAT, World } from '../support/world.js';

const SPEED = 60;
const START = new Date('2025-10-12T00:00:00Z');
const MINUTE = 60_000;

export const telegramOutage: Scenario = {
  name: 'telegram-outage',
  title: 'Telegram down for an hour',
  quick: true,
  async run(context: ScenarioContext): Promise<ScenarioResult> {
    const report = new ScenarioReport(this.name, this.title, context.log);
    const down = (context.quick ? 10 : 60) * MINUTE;
    const around = (context.quick ? 5 : 30) * MINUTE;
    const world = await World.create({ dir: context.dir, start: START, speed: SPEED });
    return runAudited(world, report, { mustStayUp: true, notifications: 'strict' }, async () => {
      if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
      await world.untilSim(world.simNow() + around, { whileAlive: true });
      const wentDown = world.simNow();
      const receivedBefore = world.telegram.sent.length;
      await world.telegram.goDown();
      await world.untilSim(wentDown + down, { whileAlive: true });
      const cameBack = world.simNow();
      await world.telegram.comeBack();
      report.inject(`Bot API unreachable (connection refused) for ${formatDuration(cameBack - wentDown)} simulated while the daemon traded`, 1);
      await world.untilSim(cameBack + around, { whileAlive: true });
      report.simulatedMs = world.simNow() - START.getTime();

      const rows = await world.database.outbox();
      const during = rows.filter((row) => row.createdAt.getTime() >= wentDown && row.createdAt.getTime() < cameBack);
      const arrivedNow = () => {
        const received = new Set(receivedTexts(world.telegram));
        return during.filter((row) => received.has(row.text));
      };
      // The backlog goes out one message a second per chat (Telegram's limit): on a busy machine that can take longer
      // than the quiet period after the outage, so the check waits for it, within a bound.
      await waitUntil(() => arrivedNow().length === during.length, 'the outage backlog', 60_000).catch((error: unknown) => {
        if (!(error instanceof WaitTimeout)) throw error;
      });
      const arrived = arrivedNow();
      report.check(
        'messages of the outage delivered afterwards',
        during.length > 0 && arrived.length === during.length,
        `${arrived.length} of the ${during.length} messages written during the outage arrived after it (${world.telegram.sent.length - receivedBefore} arrivals since it began)`,
      );
      const lastDuring = during[during.length - 1];
      const caughtUp = lastDuring === undefined ? undefined : world.telegram.sent.find((message) => message.raw === lastDuring.text);
      if (caughtUp) report.figure('from the Bot API\'s return to the last outage message delivered', formatDuration(caughtUp.at - cameBack));

      // The owner's commands: a /status after the outage must be answered.
      const askedAt = world.telegram.sent.length;
      world.telegram.pushMessage(Number(TELEGRAM_CHAT), '/status');
      let answered = true;
      await waitUntil(() => world.telegram.sent.slice(askedAt).some((message) => message.visible.startsWith('🤖 Status')), 'a /status reply', 30_000).catch(
        (error: unknown) => {
          if (!(error instanceof WaitTimeout)) throw error;
          answered = false;
        },
      );
      report.check('commands answered after the outage', answered, answered ? '/status was answered' : '/status got no reply within 30 s real: command polling did not survive the outage');
    });
  },
};

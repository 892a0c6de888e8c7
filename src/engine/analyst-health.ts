// Which analysts are answering, judged from every answer the engine hears: scan votes and exit opinions alike. An
// outage is announced once when it is first seen and once when the analyst is heard again, and the entry panel's
// quorum (two voices) is watched from the same record. An analyst that was not asked says nothing either way: in
// cascade mode most scans never reach the second and third models. Nor does an answer served from the vote cache:
// it was heard before, and may be all that is left of a provider that has since gone down.
import type { CallUsage, VoteOutcome } from '../domain/analysis.js';
import { FLAPPING_QUIET_MS, type IncidentTracker } from './incidents.js';

export interface HeardAnswer {
  readonly outcome: VoteOutcome;
  readonly reason?: string;
  readonly usage: Pick<CallUsage, 'cached'>;
}

export class AnalystHealth {
  constructor(
    /** The entry panel, whose size the quorum is counted against. */
    private readonly entryAnalysts: readonly string[],
    private readonly incidents: IncidentTracker,
  ) {}

  /** One analyst's answers in one scan or one exit check: all unusable means down, any usable one means up. */
  async heard(analyst: string, answers: readonly HeardAnswer[]): Promise<void> {
    const fresh = answers.filter((answer) => !answer.usage.cached);
    if (fresh.length === 0) return;
    const incident = `analyst:${analyst}`;
    if (fresh.some((answer) => answer.outcome === 'valid')) {
      await this.incidents.clear(incident, `Analyst ${analyst} answers again.`);
      return;
    }
    // Unusable answers (garbage, out of range) leave the panel a voice short, like no answer at all. A trade proposed
    // below the confidence bar is not one of them: the parser makes it the HOLD the rules ask for, a valid answer.
    const reason = fresh[0]?.reason ?? 'no answer';
    const silent = fresh.every((answer) => answer.outcome === 'failed');
    const message = silent ? `Analyst ${analyst} is not answering (${reason}).` : `Analyst ${analyst} answers, but nothing it says can be used (${reason}).`;
    await this.incidents.raise(incident, 'warning', message, { quietMs: FLAPPING_QUIET_MS });
  }

  /**
   * Entries need two agreeing voices, so with fewer than two analysts answering no entry can be agreed; announced once.
   * Nothing reads this incident to stop trading: the consensus itself refuses one voice, and an analyst whose outage
   * is still open but that answers again can make a trade before its all-clear, which the words leave room for.
   */
  async watchQuorum(): Promise<void> {
    const answering = this.entryAnalysts.filter((name) => !this.incidents.isOpen(`analyst:${name}`)).length;
    if (answering < 2) {
      const message = `Only ${answering} analyst(s) answering: a trade needs two that agree, so no new trades until another one answers again.`;
      await this.incidents.raise('analysts:quorum', 'critical', message);
    } else {
      await this.incidents.clear('analysts:quorum', `${answering} analysts answering again; trading can resume.`);
    }
  }
}

import type { ExitVote, MarketSnapshot, Vote, VoteAction } from '../domain/analysis.js';
import type { Position } from '../domain/trading.js';
import type { Analyst } from '../ports/analyst.js';

const NO_USAGE = { model: 'scripted', latencyMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, promptHash: '', cached: false };

export type Script = (snapshot: MarketSnapshot) => Partial<Vote> & { action: VoteAction };

/** An analyst whose answers a test writes: a fixed vote, or a function of the snapshot; an AI model's stand-in when `kind` is 'ai'. */
export class ScriptedAnalyst implements Analyst {
  readonly asked: MarketSnapshot[] = [];
  exitAnswer: Omit<ExitVote, 'analyst' | 'usage'> = { outcome: 'valid', shouldExit: false, confidence: 0, reason: 'scripted' };

  constructor(
    readonly name: string,
    private script: Script,
    readonly kind: Analyst['kind'] = 'technical',
  ) {}

  answer(script: Script): void {
    this.script = script;
  }

  async assess(snapshot: MarketSnapshot): Promise<Vote> {
    this.asked.push(snapshot);
    const scripted = this.script(snapshot);
    return {
      analyst: this.name,
      outcome: 'valid',
      confidence: scripted.action === 'hold' ? 0 : 0.8,
      leverage: 3,
      stopLossPct: 0.06,
      takeProfitPct: 0.12,
      riskReward: 2,
      reasoning: 'scripted',
      keyFactors: [],
      usage: NO_USAGE,
      ...scripted,
    };
  }

  async exitOpinion(_position: Position, _snapshot: MarketSnapshot): Promise<ExitVote> {
    return { analyst: this.name, usage: NO_USAGE, ...this.exitAnswer };
  }
}

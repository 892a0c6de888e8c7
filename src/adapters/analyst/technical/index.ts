// The built-in rule-based analysts: three distinct technical views that vote alongside (or instead of) the AI ones.
import type { RiskSettings } from '../../../domain/settings.js';
import { MomentumAnalyst } from './momentum-analyst.js';
import { ReversionAnalyst } from './reversion-analyst.js';
import { TrendAnalyst } from './trend-analyst.js';
import type { TechnicalAnalyst } from './technical-analyst.js';

export { MomentumAnalyst } from './momentum-analyst.js';
export { ReversionAnalyst } from './reversion-analyst.js';
export { TrendAnalyst } from './trend-analyst.js';
export { EXIT_CONFIDENCE, MIN_VOTE_CONFIDENCE, TechnicalAnalyst } from './technical-analyst.js';
export { planRisk, STOP_ATR_MULTIPLE } from './risk-plan.js';
export type { RiskPlan } from './risk-plan.js';

/** All three, in a fixed order (trend, reversion, momentum). */
export function createTechnicalAnalysts(risk: RiskSettings): TechnicalAnalyst[] {
  return [new TrendAnalyst(risk), new ReversionAnalyst(risk), new MomentumAnalyst(risk)];
}

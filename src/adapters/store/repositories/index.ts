import type { StoreRepositories } from '../../../ports/store.js';
import type { SqlSession } from '../sql.js';
import { SqlBreakerEventRepository } from './breakers.js';
import { SqlDailyPerformanceRepository } from './daily-performance.js';
import { SqlDecisionRepository } from './decisions.js';
import { SqlLogRepository } from './logs.js';
import { SqlOrderRepository } from './orders.js';
import { SqlOutboxRepository } from './outbox.js';
import { SqlPaperAccountRepository } from './paper-account.js';
import { SqlPositionRepository } from './positions.js';
import { SqlRiskRejectionRepository } from './rejections.js';
import { SqlTradeRepository } from './trades.js';
import { SqlTradingStateRepository } from './trading-state.js';

/** Every repository over one session: the pool (autocommit) or one open transaction. */
export function createRepositories(session: SqlSession): StoreRepositories {
  return {
    positions: new SqlPositionRepository(session),
    orders: new SqlOrderRepository(session),
    trades: new SqlTradeRepository(session),
    decisions: new SqlDecisionRepository(session),
    breakers: new SqlBreakerEventRepository(session),
    rejections: new SqlRiskRejectionRepository(session),
    state: new SqlTradingStateRepository(session),
    dailyPerformance: new SqlDailyPerformanceRepository(session),
    logs: new SqlLogRepository(session),
    outbox: new SqlOutboxRepository(session),
    paperAccount: new SqlPaperAccountRepository(session),
  };
}

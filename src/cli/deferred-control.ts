// The owner commands need the engine's control, and the engine needs the notifier the commands belong to. This
// stand-in breaks the cycle: commands are wired first and answered once the engine exists.
import type { OwnerControl } from '../ports/control.js';

export class DeferredControl implements OwnerControl {
  private target?: OwnerControl;

  attach(target: OwnerControl): void {
    this.target = target;
  }

  private get control(): OwnerControl {
    if (!this.target) throw new Error('the daemon is still starting; try again in a moment');
    return this.target;
  }

  status: OwnerControl['status'] = () => this.control.status();
  openPositions: OwnerControl['openPositions'] = () => this.control.openPositions();
  pnl: OwnerControl['pnl'] = () => this.control.pnl();
  summary: OwnerControl['summary'] = (period) => this.control.summary(period);
  recentTrades: OwnerControl['recentTrades'] = (limit) => this.control.recentTrades(limit);
  aiCost: OwnerControl['aiCost'] = () => this.control.aiCost();
  modelRecords: OwnerControl['modelRecords'] = () => this.control.modelRecords();
  balance: OwnerControl['balance'] = () => this.control.balance();
  performance: OwnerControl['performance'] = (days) => this.control.performance(days);
  tradeStats: OwnerControl['tradeStats'] = () => this.control.tradeStats();
  recentLogs: OwnerControl['recentLogs'] = (limit) => this.control.recentLogs(limit);
  version: OwnerControl['version'] = () => this.control.version();
  universe: OwnerControl['universe'] = () => this.control.universe();
  equityHistory: OwnerControl['equityHistory'] = (days) => this.control.equityHistory(days);
  pauseEntries: OwnerControl['pauseEntries'] = (by) => this.control.pauseEntries(by);
  resumeEntries: OwnerControl['resumeEntries'] = (by, sentAt) => this.control.resumeEntries(by, sentAt);
  closePosition: OwnerControl['closePosition'] = (id, by) => this.control.closePosition(id, by);
  effectiveConfig: OwnerControl['effectiveConfig'] = () => this.control.effectiveConfig();
  riskOverview: OwnerControl['riskOverview'] = () => this.control.riskOverview();
  calendar: OwnerControl['calendar'] = (limit) => this.control.calendar(limit);
  shadows: OwnerControl['shadows'] = () => this.control.shadows();
}

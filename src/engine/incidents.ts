// Alerts once per incident, with a follow-up when it clears, so a trader is told about an outage once rather
// than on every symbol of every scan. Critical incidents may repeat on a schedule (a close that keeps failing).
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Notifier } from '../ports/notifier.js';

interface OpenIncident {
  readonly severity: 'warning' | 'critical';
  lastAlertAt: number;
}

export class IncidentTracker {
  private readonly open = new Map<string, OpenIncident>();

  constructor(
    private readonly clock: Clock,
    private readonly notifier: Notifier,
    private readonly logger: Logger,
  ) {}

  /** Alerts when the incident is new, or again after `repeatEveryMs` while it lasts. */
  async raise(incident: string, severity: 'warning' | 'critical', message: string, repeatEveryMs?: number): Promise<void> {
    const now = this.clock.now();
    const current = this.open.get(incident);
    const due = !current || (repeatEveryMs !== undefined && now.getTime() - current.lastAlertAt >= repeatEveryMs);
    if (!due) return;
    this.open.set(incident, { severity, lastAlertAt: now.getTime() });
    // Called on the logger itself: pino's methods read their logger from `this`.
    if (severity === 'critical') this.logger.error({ incident }, message);
    else this.logger.warn({ incident }, message);
    await this.notifier.notify({ type: 'alert', at: now, severity, incident, message, cleared: false });
  }

  async clear(incident: string, message: string): Promise<void> {
    const current = this.open.get(incident);
    if (!current) return;
    this.open.delete(incident);
    this.logger.info({ incident }, message);
    await this.notifier.notify({ type: 'alert', at: this.clock.now(), severity: current.severity, incident, message, cleared: true });
  }

  isOpen(incident: string): boolean {
    return this.open.has(incident);
  }
}

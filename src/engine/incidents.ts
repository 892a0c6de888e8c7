// Alerts once per incident, with a follow-up when it clears, so a trader is told about an outage once rather
// than on every symbol of every scan. Critical incidents may repeat on a schedule (a close that keeps failing).
// Open incidents are kept in the store: after a restart an outage that goes on is not announced a second time, and
// one that ended while the daemon was down still gets its all-clear when the daemon next sees it working.
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Notifier, TransactionScope } from '../ports/notifier.js';
import type { TradingStateRepository } from '../ports/store.js';

const STATE_KEY = 'open-incidents';

/** How long a fault that comes and goes must stay away before its all-clear (engine steps, market data, analysts). */
export const FLAPPING_QUIET_MS = 5 * 60_000;

type Severity = 'warning' | 'critical';

interface OpenIncident {
  readonly severity: Severity;
  readonly lastAlertAt: number;
  /** The last time the fault was seen, alerted or not. */
  readonly lastFaultAt?: number;
  /** The all-clear waits until the fault has not been seen for this long. */
  readonly quietMs?: number;
}

export interface RaiseOptions {
  /** Alert again after this long while the incident lasts (a close that keeps failing). */
  readonly repeatEveryMs?: number;
  /**
   * A fault that comes and goes (a venue failing a fifth of its requests) is one incident: its all-clear is sent only
   * once the fault has not been seen for this long, not at the first success between two failures.
   */
  readonly quietMs?: number;
}

function isOpenIncident(value: unknown): value is OpenIncident {
  if (typeof value !== 'object' || value === null) return false;
  const incident = value as Record<string, unknown>;
  const optionalNumber = (field: unknown) => field === undefined || Number.isFinite(field);
  return (
    (incident.severity === 'warning' || incident.severity === 'critical') &&
    Number.isFinite(incident.lastAlertAt) &&
    optionalNumber(incident.lastFaultAt) &&
    optionalNumber(incident.quietMs)
  );
}

export class IncidentTracker {
  private readonly open = new Map<string, OpenIncident>();
  /** Writes run one after another, each with the state of its own moment, so the last one stored is the newest. */
  private saving: Promise<void> = Promise.resolve();
  /** The last write failed: what is stored may be older than what is open. */
  private unsaved = false;

  constructor(
    private readonly clock: Clock,
    private readonly notifier: Notifier,
    private readonly logger: Logger,
    private readonly state: TradingStateRepository,
  ) {}

  /** Takes over the incidents a previous run left open. An unreadable record costs at most a repeated alert. */
  async load(): Promise<void> {
    try {
      const saved = await this.state.get(STATE_KEY);
      if (typeof saved !== 'object' || saved === null) return;
      for (const [incident, value] of Object.entries(saved)) if (isOpenIncident(value)) this.open.set(incident, value);
      if (this.open.size > 0) this.logger.info({ incidents: [...this.open.keys()] }, 'incidents still open from the previous run');
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'open incidents could not be read; an ongoing one may be announced again');
    }
  }

  /** Alerts when the incident is new, or again after `repeatEveryMs` while it lasts. */
  async raise(incident: string, severity: Severity, message: string, options: RaiseOptions = {}): Promise<void> {
    const now = this.clock.now();
    const current = this.open.get(incident);
    const { repeatEveryMs, quietMs } = options;
    const due = !current || (repeatEveryMs !== undefined && now.getTime() - current.lastAlertAt >= repeatEveryMs);
    if (!due) {
      // Not worth a message, but it moves the quiet period on; kept in memory only (a restart starts it afresh).
      if (current) this.open.set(incident, { ...current, lastFaultAt: now.getTime() });
      return;
    }
    this.open.set(incident, { severity, lastAlertAt: now.getTime(), lastFaultAt: now.getTime(), ...(quietMs === undefined ? {} : { quietMs }) });
    this.save();
    this.log(incident, severity, message);
    await this.notifier.notify({ type: 'alert', at: now, severity, incident, message, cleared: false });
  }

  /** A one-off alert with nothing to clear later (a stop placed again, an unknown position adopted). */
  async notice(incident: string, severity: Severity, message: string): Promise<void> {
    this.log(incident, severity, message);
    await this.notifier.notify({ type: 'alert', at: this.clock.now(), severity, incident, message, cleared: false });
  }

  /**
   * Sends the all-clear of an open incident. `within` a transaction, the all-clear is part of it: the incident closes
   * only once it has committed, so a rolled-back booking neither loses the all-clear nor sends it.
   */
  async clear(incident: string, message: string, within?: TransactionScope): Promise<void> {
    const current = this.open.get(incident);
    if (!current) return;
    const quietFor = this.clock.now().getTime() - (current.lastFaultAt ?? current.lastAlertAt);
    // Still inside the quiet period: the caller says so again at its next success, and the all-clear waits for that.
    if (current.quietMs !== undefined && quietFor < current.quietMs) return;
    const close = () => {
      if (this.open.get(incident) !== current) return;
      this.open.delete(incident);
      this.save();
      this.logger.info({ incident }, message);
    };
    if (within) void within.committed.then(close, () => undefined);
    else close();
    await this.notifier.notify({ type: 'alert', at: this.clock.now(), severity: current.severity, incident, message, cleared: true }, within);
  }

  isOpen(incident: string): boolean {
    return this.open.has(incident);
  }

  /** Resolves once every change so far is stored, trying once more if the last write failed (a failure is logged). */
  async flush(): Promise<void> {
    await this.saving;
    if (this.unsaved) this.save();
    await this.saving;
  }

  private log(incident: string, severity: Severity, message: string): void {
    // Called on the logger itself: pino's methods read their logger from `this`.
    if (severity === 'critical') this.logger.error({ incident }, message);
    else this.logger.warn({ incident }, message);
  }

  /** Not awaited by the alert: a store that is restarting must not hold up telling the owner. */
  private save(): void {
    this.saving = this.saving.then(async () => {
      try {
        await this.state.put(STATE_KEY, Object.fromEntries(this.open));
        this.unsaved = false;
      } catch (error) {
        this.unsaved = true;
        this.logger.warn({ error: (error as Error).message }, 'open incidents could not be stored; the next change or shutdown tries again');
      }
    });
  }
}

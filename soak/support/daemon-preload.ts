// Loaded into the daemon's process by the soak harness (`node --import`), before the daemon itself. ccxt meters the
// venue's request budget per real minute, while an accelerated daemon lives in simulated minutes: at 60x it would
// get a sixtieth of the budget a live daemon has, and its stop orders would queue behind throttled reads for real
// seconds. The venue's minutes run at the same speed, so its budget is scaled here the same way: same weight per
// window, window shortened by SIMULATION_SPEED. Nothing else in the daemon is touched.
import ccxt from 'ccxt';

const speed = Number(process.env['SIMULATION_SPEED'] ?? '1');

interface ThrottledExchange {
  throttler?: { config: { windowSize: number; refillRate: number; algorithm: string } };
}

if (Number.isFinite(speed) && speed > 1) {
  const prototype = (ccxt as unknown as { Exchange: { prototype: Record<string, unknown> } }).Exchange.prototype;
  const original = prototype['initRestRateLimiter'] as (this: ThrottledExchange) => void;
  prototype['initRestRateLimiter'] = function scaledRateLimiter(this: ThrottledExchange): void {
    original.call(this);
    const config = this.throttler?.config;
    if (!config) return;
    if (config.algorithm === 'rollingWindow') config.windowSize /= speed;
    else config.refillRate *= speed;
  };
}

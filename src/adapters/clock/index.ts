export { ManualClock } from './manual-clock.js';
export { SystemClock } from './system-clock.js';
export { ReplayClock } from './replay-clock.js';
export { AcceleratedClock } from './accelerated-clock.js';

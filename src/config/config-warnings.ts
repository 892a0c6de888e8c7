// What a configuration that starts may still hold by mistake, said at start (and in the start-up message) instead of
// acted on silently: a variable the daemon does not know (a typo such as MAX_LEVRAGE leaves the default in force), a
// `_FILE` on a variable that is no secret, a `_PERCENT` value more likely a percentage than the fraction it is, and a
// 0-100 score given as a fraction.
import { VARIABLES } from './variables.js';

const KNOWN = new Map(VARIABLES.map((spec) => [spec.name, spec]));

/**
 * Read from the same `.env` by Docker Compose, not by the daemon (see the end of .env.example): compose hands the whole
 * file to the daemon too, where these are in their place, not typos.
 */
const COMPOSE_ONLY_NAMES: ReadonlySet<string> = new Set(['POSTGRES_PASSWORD']);

/**
 * In the image (the Dockerfile sets DAEMON_IN_CONTAINER=1) the environment holds only what the image, Docker and the
 * compose file put there, and `.env`, which compose hands over as variables: any other name came from `.env`, and is
 * reported as it would be from the file, typo or not. These are the image's and Docker's own, or the runtime's.
 */
const CONTAINER_NAMES: ReadonlySet<string> = new Set(['DAEMON_IN_CONTAINER', 'PATH', 'HOSTNAME', 'HOME', 'TERM', 'NODE_ENV', 'NODE_OPTIONS', 'GIT_COMMIT', 'TZ', 'LANG', 'LC_ALL']);

/** Above these a `_PERCENT` value is more likely a percentage (0.5 meant as 0.5%) than the fraction it is read as. */
const USUAL_MAX: Readonly<Record<string, number>> = {
  RISK_PER_TRADE_PERCENT: 0.05,
  DAILY_LOSS_LIMIT_PERCENT: 0.2,
  MAX_LOSS_AT_STOP_PERCENT: 0.3,
  MAX_DRAWDOWN_PERCENT: 0.5,
  TRAILING_ACTIVATION_PERCENT: 0.2,
};

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = current;
  }
  return previous[b.length]!;
}

/** The known name `name` is most likely a typo of, if any is two edits away or fewer. */
function nearest(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN.keys()) {
    const distance = editDistance(name, known);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

/**
 * `fileNames`: the names set in the `.env` file, each of which the daemon should know; `environment`: the process's,
 * which hold other programs' names too, so only a near miss of a known name is reported there.
 */
export function configurationWarnings(fileNames: readonly string[], environment: Readonly<Record<string, string | undefined>>, merged: Readonly<Record<string, string | undefined>>): string[] {
  const warnings: string[] = [];
  const unknown = (name: string, where: string, always: boolean): void => {
    if (KNOWN.has(name) || COMPOSE_ONLY_NAMES.has(name)) return;
    const base = name.endsWith('_FILE') ? name.slice(0, -'_FILE'.length) : undefined;
    if (base !== undefined && KNOWN.has(base)) {
      if (!KNOWN.get(base)?.secret) warnings.push(`${name} ${where} is not read: only secrets come from files; set ${base} itself.`);
      return;
    }
    const guess = nearest(name);
    if (guess !== undefined) warnings.push(`${name} ${where} is not a setting the daemon knows, so it is ignored; did you mean ${guess}?`);
    else if (always) warnings.push(`${name} ${where} is not a setting the daemon knows, so it is ignored.`);
  };
  for (const name of fileNames) unknown(name, 'in .env', true);
  const inContainer = environment.DAEMON_IN_CONTAINER === '1';
  for (const name of Object.keys(environment)) {
    if (fileNames.includes(name)) continue;
    if (inContainer) {
      if (!CONTAINER_NAMES.has(name)) unknown(name, 'in .env (handed over as the environment)', true);
    } else if (/^[A-Z][A-Z0-9_]{5,}$/.test(name)) unknown(name, 'in the environment', false);
  }
  for (const [name, usual] of Object.entries(USUAL_MAX)) {
    const value = Number(merged[name]);
    if (merged[name] !== undefined && Number.isFinite(value) && value > usual) {
      warnings.push(`${name}=${merged[name]} is read as ${(value * 100).toFixed(value * 100 < 10 ? 1 : 0)}%: the _PERCENT settings are fractions (0.02 = 2%).`);
    }
  }
  // Beside MIN_AI_CONFIDENCE, a fraction: 0.8 meant as 80 would let every opportunity through the score gate.
  const score = Number(merged.MIN_OPPORTUNITY_SCORE);
  if (merged.MIN_OPPORTUNITY_SCORE !== undefined && score > 0 && score <= 1) {
    warnings.push(`MIN_OPPORTUNITY_SCORE=${merged.MIN_OPPORTUNITY_SCORE} is read on the 0-100 scale, so almost every opportunity passes: the score is 0-100 (80 = 80 of 100), not a fraction like MIN_AI_CONFIDENCE.`);
  }
  return warnings;
}

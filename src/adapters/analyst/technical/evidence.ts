// How a rule-based analyst weighs a setup: for each side, does the setup apply at all, and which weighted factors back
// it. Confidence is the sum of the weights of the factors that hold (weights add up to 1), plus any penalties, clamped
// to [0, 1]; so 0.75 needs most of the evidence at once, never a single strong reading.

export interface Factor {
  /** What was checked, with the numbers, e.g. `1h ADX 31.2 >= 25`. */
  readonly label: string;
  readonly weight: number;
  readonly met: boolean;
}

export interface Penalty {
  readonly label: string;
  /** Negative amount taken off the confidence. */
  readonly amount: number;
}

export interface SideCase {
  /** The precondition of the setup for this side (e.g. price at a band); without it the side is not traded. */
  readonly applies: boolean;
  /** Why the precondition fails, for the hold reasoning. */
  readonly blocker?: string;
  readonly factors: readonly Factor[];
  readonly penalties: readonly Penalty[];
}

export function confidenceOf(sideCase: SideCase): number {
  if (!sideCase.applies) return 0;
  let total = 0;
  for (const factor of sideCase.factors) if (factor.met) total += factor.weight;
  for (const penalty of sideCase.penalties) total += penalty.amount;
  // Rounded so that sums like 0.3 + 0.35 + 0.1 compare with thresholds as written, not as 0.7499999.
  return Math.min(1, Math.max(0, Math.round(total * 1000) / 1000));
}

export function factor(label: string, weight: number, met: boolean): Factor {
  return { label, weight, met };
}

/** Formats a reading for labels; `n/a` while the indicator is not yet defined. */
export function num(value: number | undefined, digits = 1): string {
  return value === undefined ? 'n/a' : value.toFixed(digits);
}

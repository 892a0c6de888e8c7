// A seeded pseudo-random generator for the places that need repeatable randomness (the bootstrap's resampling, the
// look-ahead check's perturbations): the same seed gives the same numbers on every run and every machine.

/** mulberry32: a small, fast 32-bit generator; uniform numbers in [0, 1). Not for secrets. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

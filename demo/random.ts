/**
 * Deterministic randomness for the demo world. Every record is drawn from a generator seeded
 * by (world seed, record kind, record index), so any department can compute person #i or
 * legal entity #j on its own — without reading another department's database — and the
 * references between departments agree by construction.
 */

/** A fixed seed: the demo world is the same on every machine and every run. */
export const DEMO_SEED = 20261122;

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashKey(seed: number, kind: string, index: number): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (let i = 0; i < kind.length; i++) h = mix32(h ^ kind.charCodeAt(i));
  h = mix32(h ^ (index & 0xffffffff));
  return mix32(h ^ Math.floor(index / 0x100000000));
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
}

/** mulberry32 seeded from the record's key. */
export function randomFor(seed: number, kind: string, index: number): Random {
  let state = hashKey(seed, kind, index);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (p) => next() < p,
    weighted: (choices) => {
      const total = choices.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [value, weight] of choices) {
        r -= weight;
        if (r < 0) return value;
      }
      return choices[choices.length - 1]![0];
    },
  };
  return random;
}

/**
 * A bijection on [0, size): spreads consecutive indexes over the range so that derived
 * identifiers (birth dates, sequence numbers) look scattered yet never collide.
 */
export function permute(index: number, size: number, multiplier = 7919, offset = 104729): number {
  if (gcd(multiplier, size) !== 1) throw new RangeError(`permute: multiplier ${multiplier} shares a factor with size ${size}`);
  return Number((BigInt(index) * BigInt(multiplier) + BigInt(offset)) % BigInt(size));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

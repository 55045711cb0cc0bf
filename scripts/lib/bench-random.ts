/**
 * A seeded PRNG for the benchmark's synthetic data, so every run measures the same corpus and
 * the same vectors: the tiny model's mulberry32 stream, with integers and normals on top.
 */
import { seededRandom as mulberry32 } from './tiny-model/seeded-random.ts';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  gaussian(): number;
}

export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
  let spare: number | null = null;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    gaussian: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      // 1 - u keeps log() away from 0.
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

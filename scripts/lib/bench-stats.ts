/** Per-operation time summaries for the benchmark (ms), through eval's shared percentile. */
import { percentile } from './evaluate.ts';

export interface TimeSummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/**
 * `percentile` rounds to 0.01 of its unit; a BM25 lookup can take a few hundredths of a ms, so
 * the times go in as microseconds and come out as ms with three decimals.
 */
export function summarize(ms: readonly number[]): TimeSummary {
  const us = ms.map((x) => x * 1000);
  const q = (p: number) => Math.round(percentile(us, p)) / 1000;
  const mean = ms.length ? ms.reduce((s, x) => s + x, 0) / ms.length : 0;
  return { n: ms.length, p50: q(50), p95: q(95), p99: q(99), mean: Math.round(mean * 1000) / 1000 };
}

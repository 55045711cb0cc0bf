/**
 * When the soak fails: a reply missing, doubled or wrong, or memory that grew after the warm-up
 * by more than a bound per question answered since, with a floor for the noise of a collected
 * process. Per question, so a longer soak is held to the same leak rate instead of a looser one.
 *
 * Measured on the bundled corpus (docs/BENCHMARKS.md, 2026-11-29): heapUsed after GC +0.8 MB over
 * about 1,900 questions in 30 s (caches filling to their bounds) and +1.9 MB over 28,725 in
 * 300 s (about 70 B a question). RSS, counted from its lowest reading after the warm-up, grew
 * 0.5–2.8 MB in 30 s, while V8's heap reservation alone moves by about 10 MB. A leak of 10 KB a
 * question (19 MB over those 1,900 questions) fails either bound within 30 s.
 */
import type { SoakReport } from './soak-run.ts';

export interface SoakBounds {
  /** heapUsed growth allowed per question answered after the warm-up, bytes. Default 256. */
  heapBytesPerQuestion: number;
  /** heapUsed growth always allowed, MB: what GC leaves over and bounded caches fill. Default 3. */
  heapFloorMB: number;
  /** RSS growth allowed per question, bytes. Default 1,024: native memory (jieba, buffers) too. */
  rssBytesPerQuestion: number;
  /** RSS growth always allowed, MB: V8 and malloc keep or return pages as they like. Default 16. */
  rssFloorMB: number;
}

export const DEFAULT_SOAK_BOUNDS: SoakBounds = { heapBytesPerQuestion: 256, heapFloorMB: 3, rssBytesPerQuestion: 1024, rssFloorMB: 16 };

const MB = 1024 * 1024;

/** The growth allowed, MB, after `questions` answered since the warm-up. */
export function memoryLimits(questions: number, bounds: SoakBounds = DEFAULT_SOAK_BOUNDS): { heapMB: number; rssMB: number } {
  const limit = (perQuestion: number, floorMB: number) => Math.round(Math.max(floorMB, (perQuestion * questions) / MB) * 10) / 10;
  return {
    heapMB: limit(bounds.heapBytesPerQuestion, bounds.heapFloorMB),
    rssMB: limit(bounds.rssBytesPerQuestion, bounds.rssFloorMB),
  };
}

/** Bytes of growth per question answered after the warm-up (0 when none were). */
export function perQuestion(growthMB: number, questions: number): number {
  return questions > 0 ? Math.round((growthMB * MB) / questions) : 0;
}

/** Why the soak failed, one phrase a reason; empty when it passed. */
export function soakFailures(
  report: Pick<SoakReport, 'missing' | 'duplicates' | 'wrong' | 'questionsAfterWarmup' | 'heapGrowthMB' | 'rssGrowthMB'>,
  bounds: SoakBounds = DEFAULT_SOAK_BOUNDS,
): string[] {
  const limits = memoryLimits(report.questionsAfterWarmup, bounds);
  const q = report.questionsAfterWarmup;
  return [
    report.missing ? `${report.missing} replies missing` : '',
    report.duplicates ? `${report.duplicates} replies doubled` : '',
    report.wrong ? `${report.wrong} replies differ from the core's answer` : '',
    report.heapGrowthMB > limits.heapMB
      ? `heapUsed grew ${report.heapGrowthMB} MB over ${q} questions (${perQuestion(report.heapGrowthMB, q)} B each; limit ${limits.heapMB} MB)`
      : '',
    report.rssGrowthMB > limits.rssMB
      ? `RSS grew ${report.rssGrowthMB} MB over ${q} questions (${perQuestion(report.rssGrowthMB, q)} B each; limit ${limits.rssMB} MB)`
      : '',
  ].filter(Boolean);
}

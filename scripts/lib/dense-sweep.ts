/**
 * `npm run eval -- --dense-sweep`: what each dense threshold (DENSE_MIN_SIMILARITY) would do to
 * the refusal gate on the tuning sets, from one pass over their questions. The gate's inputs do
 * not depend on the threshold (lexical share, best candidate cosine, the asked form), so every
 * threshold is scored from the same answers: answerable questions the dense rescue would answer,
 * and questions to refuse it would let through. Held-out sets are never swept (eval/README.md).
 */
import type { ExplainedAnswer } from '../../src/answer/answerer.ts';
import { DENSE_RESCUE_MIN_COVERAGE, gateDecision } from '../../src/answer/relevance.ts';
import type { ScoredQuestion } from './set-evaluate.ts';

export const SWEEP_THRESHOLDS = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9] as const;

export interface SweepRow {
  /** null: lexical only (no dense rescue). */
  threshold: number | null;
  /** Answerable questions the gate lets through, of `answerable`. */
  answered: number;
  /** Questions to refuse the gate lets through, of `toRefuse`. */
  letThrough: number;
}

export interface DenseSweep {
  answerable: number;
  toRefuse: number;
  /** Best candidate cosine of the questions the lexical share alone refuses, answerable / to refuse. */
  rescuable: { answerable: number[]; toRefuse: number[] };
  rows: SweepRow[];
}

interface GateInputs {
  answerable: boolean;
  coverage: number;
  similarity: number | null;
  /** Refused whatever the gate says: nothing retrieved, or the asked form (a phone number) missing. */
  blocked: boolean;
}

export async function denseSweep(ask: (q: string) => Promise<ExplainedAnswer>, questions: readonly ScoredQuestion[]): Promise<DenseSweep> {
  const inputs: GateInputs[] = [];
  for (const q of questions) {
    if (q.answerable === null) continue;
    const a = await ask(q.question);
    const e = a.explain;
    inputs.push({ answerable: q.answerable, coverage: e.coverage, similarity: e.denseSimilarity, blocked: a.retrieved.length === 0 || e.lacking !== null || e.tokens.length === 0 });
  }
  const passes = (g: GateInputs, t: number | null) => !g.blocked && gateDecision(g.coverage, g.similarity, { minSimilarity: t }).pass;
  const rows = [null, ...SWEEP_THRESHOLDS].map((threshold): SweepRow => ({
    threshold,
    answered: inputs.filter((g) => g.answerable && passes(g, threshold)).length,
    letThrough: inputs.filter((g) => !g.answerable && passes(g, threshold)).length,
  }));
  const rescuable = (answerable: boolean) =>
    inputs
      .filter((g) => g.answerable === answerable && !g.blocked && g.similarity !== null && g.coverage >= DENSE_RESCUE_MIN_COVERAGE && !passes(g, null))
      .map((g) => Math.round(g.similarity! * 1000) / 1000)
      .sort((a, b) => a - b);
  return {
    answerable: inputs.filter((g) => g.answerable).length,
    toRefuse: inputs.filter((g) => !g.answerable).length,
    rescuable: { answerable: rescuable(true), toRefuse: rescuable(false) },
    rows,
  };
}

export function formatDenseSweep(name: string, s: DenseSweep): string {
  const lines = [`== ${name}: dense threshold sweep (rescue from lexical share ≥ ${DENSE_RESCUE_MIN_COVERAGE})`];
  lines.push(`  ${'threshold'.padEnd(12)}${'answerable answered'.padEnd(22)}to refuse let through`);
  for (const r of s.rows) {
    lines.push(`  ${(r.threshold === null ? 'off' : r.threshold.toFixed(2)).padEnd(12)}${`${r.answered}/${s.answerable}`.padEnd(22)}${r.letThrough}/${s.toRefuse}`);
  }
  lines.push(`  cosines within reach, answerable: ${s.rescuable.answerable.join(' ') || '-'}`);
  lines.push(`  cosines within reach, to refuse:  ${s.rescuable.toRefuse.join(' ') || '-'}`);
  return lines.join('\n');
}

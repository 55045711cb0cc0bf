/** Scores a knowledge base on a question set; shared by `npm run eval` and `npm run bench`. */
import { includesFigures } from '../../src/answer/normalize-figures.ts';
import type { Asker } from '../../src/answer/types.ts';

export interface EvalQuestion {
  id: string;
  q: string;
  /** answerable | paraphrase | unanswerable | malformed; CMRC lines have none (answerable). */
  kind?: string;
  doc?: string;
  answers?: string[];
}

interface Bucket {
  n: number;
  /** Questions with an expected document. */
  withDoc: number;
  r1: number;
  r5: number;
  rr: number;
  /** Questions with expected facts. */
  withFacts: number;
  factHit: number;
  /** The first (first five) retrieved passages hold an expected fact: evidence below document level. */
  ev1: number;
  ev5: number;
  refused: number;
}

export interface EvalReport {
  total: number;
  byKind: Record<string, { n: number; recall1: number | null; recall5: number | null; mrr: number | null; evidence1: number | null; evidence5: number | null; answerHasFact: number | null; refusalRate: number }>;
  answerable: { n: number; recall1: number; recall5: number; mrr: number; evidence1: number; evidence5: number; answerHasFact: number; falseRefusals: number };
  unanswerable: { n: number; refused: number; refusalRate: number };
  bodyChars: { p50: number; max: number };
  ms: { p50: number; p95: number };
  misses: Array<{ id: string; q: string; why: string }>;
}

/** Gold answers are compared with the [n] markers taken out of the body. */
export function bodyText(body: string): string {
  return body.replace(/\[\d+\]/g, '');
}

export async function evaluate(asker: Asker, questions: EvalQuestion[], options: { offline?: boolean } = {}): Promise<EvalReport> {
  const buckets = new Map<string, Bucket>();
  const times: number[] = [];
  const bodyLens: number[] = [];
  const misses: EvalReport['misses'] = [];
  for (const q of questions) {
    const kind = q.kind ?? 'answerable';
    const b = buckets.get(kind) ?? { n: 0, withDoc: 0, r1: 0, r5: 0, rr: 0, withFacts: 0, factHit: 0, ev1: 0, ev5: 0, refused: 0 };
    buckets.set(kind, b);
    const a = await asker.ask(q.q, { offline: options.offline });
    times.push(a.ms);
    b.n++;
    if (a.refused) b.refused++;
    if (q.doc) {
      b.withDoc++;
      const docs: string[] = [];
      for (const r of a.retrieved) if (!docs.includes(r.docId)) docs.push(r.docId);
      const rank = docs.indexOf(q.doc) + 1;
      if (rank === 1) b.r1++;
      if (rank >= 1 && rank <= 5) b.r5++;
      if (rank >= 1) b.rr += 1 / rank;
    }
    if (q.answers?.length) {
      b.withFacts++;
      const text = bodyText(a.body);
      if (!a.refused) bodyLens.push(a.body.length);
      // Figures compare in canonical form (normalize-figures.ts): 一个月 in the body is the gold 1个月.
      const hit = !a.refused && q.answers.some((x) => includesFigures(text, x));
      // A long document holds many passages; this asks whether the right one was found.
      const evidence = a.retrieved.findIndex((p) => q.answers!.some((x) => p.text.includes(x))) + 1;
      if (evidence === 1) b.ev1++;
      if (evidence >= 1 && evidence <= 5) b.ev5++;
      if (hit) b.factHit++;
      else misses.push({ id: q.id, q: q.q, why: a.refused ? 'refused' : 'fact not in answer' });
    } else if ((kind === 'unanswerable') && !a.refused) {
      misses.push({ id: q.id, q: q.q, why: 'answered an unanswerable question' });
    }
  }
  const ratio = (x: number, n: number) => (n ? Math.round((x / n) * 1000) / 1000 : null);
  const byKind: EvalReport['byKind'] = {};
  for (const [kind, b] of buckets) {
    byKind[kind] = {
      n: b.n,
      recall1: ratio(b.r1, b.withDoc),
      recall5: ratio(b.r5, b.withDoc),
      mrr: ratio(b.rr, b.withDoc),
      evidence1: ratio(b.ev1, b.withFacts),
      evidence5: ratio(b.ev5, b.withFacts),
      answerHasFact: ratio(b.factHit, b.withFacts),
      refusalRate: ratio(b.refused, b.n) ?? 0,
    };
  }
  const ans = ['answerable', 'paraphrase'].map((k) => buckets.get(k)).filter((b): b is Bucket => Boolean(b));
  const sum = (f: (b: Bucket) => number) => ans.reduce((s, b) => s + f(b), 0);
  const un = buckets.get('unanswerable');
  return {
    total: questions.length,
    byKind,
    answerable: {
      n: sum((b) => b.n),
      recall1: ratio(sum((b) => b.r1), sum((b) => b.withDoc)) ?? 0,
      recall5: ratio(sum((b) => b.r5), sum((b) => b.withDoc)) ?? 0,
      mrr: ratio(sum((b) => b.rr), sum((b) => b.withDoc)) ?? 0,
      evidence1: ratio(sum((b) => b.ev1), sum((b) => b.withFacts)) ?? 0,
      evidence5: ratio(sum((b) => b.ev5), sum((b) => b.withFacts)) ?? 0,
      answerHasFact: ratio(sum((b) => b.factHit), sum((b) => b.withFacts)) ?? 0,
      falseRefusals: sum((b) => b.refused),
    },
    unanswerable: { n: un?.n ?? 0, refused: un?.refused ?? 0, refusalRate: ratio(un?.refused ?? 0, un?.n ?? 0) ?? 0 },
    bodyChars: { p50: percentile(bodyLens, 50), max: bodyLens.length ? Math.max(...bodyLens) : 0 },
    ms: { p50: percentile(times, 50), p95: percentile(times, 95) },
    misses,
  };
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return Math.round(s[i]! * 100) / 100;
}

export function formatReport(meta: Record<string, unknown>, r: EvalReport): string {
  const lines = [
    `questions ${meta.questions}  index ${meta.index}  vectors ${meta.dense ? 'on' : 'off'}  model ${meta.llm ? 'on' : 'off'}`,
    '',
    'kind            n   recall@1 recall@5  MRR    ev@1    ev@5    has-fact refused',
  ];
  for (const [kind, k] of Object.entries(r.byKind)) {
    const f = (x: number | null) => (x === null ? '   -  ' : x.toFixed(3).padStart(6));
    lines.push(`${kind.padEnd(14)}${String(k.n).padStart(4)}   ${f(k.recall1)}   ${f(k.recall5)}  ${f(k.mrr)}  ${f(k.evidence1)}  ${f(k.evidence5)}  ${f(k.answerHasFact)}  ${f(k.refusalRate)}`);
  }
  lines.push(
    '',
    `answerable+paraphrase: recall@1 ${r.answerable.recall1}, recall@5 ${r.answerable.recall5}, MRR ${r.answerable.mrr}, evidence passage @1 ${r.answerable.evidence1} @5 ${r.answerable.evidence5}, answer has fact ${r.answerable.answerHasFact}, false refusals ${r.answerable.falseRefusals}/${r.answerable.n}`,
    `unanswerable: refused ${r.unanswerable.refused}/${r.unanswerable.n} (${r.unanswerable.refusalRate})`,
    `answer body chars: p50 ${r.bodyChars.p50}, max ${r.bodyChars.max}`,
    `time per question: p50 ${r.ms.p50} ms, p95 ${r.ms.p95} ms`,
  );
  if (r.misses.length) {
    lines.push('', `misses (${r.misses.length}, first 20):`);
    for (const m of r.misses.slice(0, 20)) lines.push(`  ${m.id} ${m.why}: ${m.q.slice(0, 60)}`);
  }
  return lines.join('\n');
}

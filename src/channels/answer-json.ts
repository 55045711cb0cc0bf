/** The `--json` shape of an answer (issue #3), shared by `ask` and `eval`. */
import type { ExplainedAnswer } from '../answer/answerer.ts';

export function answerJson(a: ExplainedAnswer, options: { explain?: boolean; id?: unknown } = {}) {
  return {
    ...(options.id !== undefined ? { id: options.id } : {}),
    question: a.question,
    answer: a.answer,
    refused: a.refused,
    ...(a.middle ? { middle: true } : {}),
    mode: a.mode,
    citations: a.citations.map((c) => ({ n: c.n, docId: c.docId, title: c.title, text: c.text })),
    retrieved: a.retrieved.map((r) => ({ docId: r.docId, title: r.title, text: r.text, score: round(r.score) })),
    ms: a.ms,
    ...(a.truncated ? { truncated: true } : {}),
    ...(a.fallbackReason ? { fallbackReason: a.fallbackReason } : {}),
    ...(options.explain ? { explain: a.explain } : {}),
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

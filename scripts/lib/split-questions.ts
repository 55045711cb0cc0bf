/**
 * The tuning / held-out split of a question set, stratified by kind: within each kind the
 * questions are ordered by id, shuffled with a seeded generator, and the first round(n / 3) are
 * held out. The same questions and seed always give the same split.
 */
import type { SetQuestion } from './question-set.ts';
import { seededRandom } from './tiny-model/seeded-random.ts';

/** The seed the committed sets were split with (the day they were written). */
export const SPLIT_SEED = 20261202;

export function splitQuestions(questions: SetQuestion[], seed = SPLIT_SEED): { tuning: SetQuestion[]; holdout: SetQuestion[] } {
  const random = seededRandom(seed);
  const held = new Set<string>();
  const kinds = [...new Set(questions.map((q) => q.kind))].sort();
  for (const kind of kinds) {
    const ids = questions.filter((q) => q.kind === kind).map((q) => q.id).sort();
    // Fisher–Yates with the seeded generator.
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    for (const id of ids.slice(0, Math.round(ids.length / 3))) held.add(id);
  }
  return { tuning: questions.filter((q) => !held.has(q.id)), holdout: questions.filter((q) => held.has(q.id)) };
}

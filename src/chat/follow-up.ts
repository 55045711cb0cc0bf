/**
 * Whether a question leans on the previous one ("那完成了多少个？"), so the core gets
 * `previousQuestion` to merge. A heuristic: a referring opening word, or a question too short to
 * carry its own subject.
 */
const OPENINGS = [
  '那么', '那', '还有', '另外', '此外', '它们', '它', '他们', '这个', '那个', '这些', '那些', '这', '其',
  '该', '上述', '刚才', '前面', '然后', '再', '又', '具体',
];

/** Questions this short (CJK characters and words, punctuation ignored) rarely name a subject. */
const SHORT_CHARS = 6;

export function looksLikeFollowUp(question: string): boolean {
  const q = question.trim();
  if (!q) return false;
  if (OPENINGS.some((w) => q.startsWith(w))) return true;
  const core = q.replace(/[\p{P}\p{S}\s]/gu, '');
  return core.length > 0 && core.length <= SHORT_CHARS;
}

/**
 * A blank form holds labels with nothing filled in: 干部任免审批表_空白.docx reads as its title and
 * the header row of an empty table (称谓 姓名 出生年月 政治面貌 工作单位及职务). A label with an
 * empty value is never an answer, so such a row is never quoted (extractive-composer.ts), and a
 * passage holding nothing else does not count for the refusal gate: its title alone covered 0.54
 * of "干部任免审批表的填表人是谁？" (realdocs-tuning rd-145), which the documents cannot answer.
 */
import type { Passage } from '../corpus/passage.ts';

/** Three or more short cells apart by spaces, no figure, no clause: a row of labels. */
export const LABEL_ROW = /^[^\s\d，,。；;：:！？!?]{1,16}(?:[ \t\u3000]+[^\s\d，,。；;：:！？!?]{1,16}){2,}$/u;

/** Whether the passage holds nothing but its title or heading and rows of labels. */
export function isBlankForm(p: Pick<Passage, 'title' | 'heading' | 'text'>): boolean {
  const lines = p.text.split('\n').map((l) => l.trim()).filter(Boolean);
  const labels = lines.filter((l) => l !== p.title && l !== p.heading);
  return labels.length > 0 && labels.every((l) => LABEL_ROW.test(l));
}

/**
 * Blank template fields: what a form shows where someone is meant to write. A blank form's rows
 * (`姓名 | 骥 | 性别 | 骥`, `（签名）`, `年  月  日`) say nothing a resident can ask about and, once
 * indexed, outrank the rules, so loaders drop them under a named rule and count them.
 */

// Fill-in marks: underscores, dashes, dots, empty boxes, and 骥 — a rare character some form generators (the 干部任免审批表 template) put in every blank so
// the cell keeps its height; it only counts as a placeholder when it fills the field alone.
// A lone × or √ is an answer (否/是), not a blank, so crosses count only inside ×年×月×日.
const FILL = /^[\s_＿\-—－–.·…○□☐▁骥]*$/u;
const DATE_TEMPLATE = /^[\s_＿×xX*＊]*年[\s_＿×xX*＊]*月[\s_＿×xX*＊]*日[\s_＿]*$/u;
const SIGNATURE = /^[（(]?\s*(签名|签字|签章|盖章|公章|印章|单位盖章|本人签名|本人签字)\s*[)）]?$/u;

/** True when one line of a field holds nothing but a placeholder, a date template or a signature mark. */
export function isBlankLine(line: string): boolean {
  const s = line.trim();
  return FILL.test(s) || DATE_TEMPLATE.test(s) || SIGNATURE.test(s);
}

/** True when every line of a field (a table cell, the value after 填表人：) is blank. */
export function isBlankField(text: string): boolean {
  return text.split('\n').every(isBlankLine);
}

/** True when a field holds something, but only placeholders (as opposed to plain empty). */
export function isPlaceholder(text: string): boolean {
  return text.trim() !== '' && isBlankField(text);
}

/**
 * A `label：placeholder` line outside a table (`填表人：骥`, `日期：____`). A label followed by
 * nothing is not one: `各党支部：` opens a notice.
 */
export function isBlankLabelLine(line: string): boolean {
  const m = /^([^：:]{1,12})[：:](.*)$/u.exec(line.trim());
  if (m) return isPlaceholder(m[2]!);
  return isPlaceholder(line) && /[骥×xX_＿年]/u.test(line);
}

/** Characters a count of dropped text reports: whitespace does not count. */
export function visibleLength(text: string): number {
  return [...text.replace(/\s+/g, '')].length;
}

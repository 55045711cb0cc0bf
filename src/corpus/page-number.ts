/**
 * A line that is only a page number, as printers set them: `- 3 -`, `— 3 —` (GB/T 9704 公文),
 * `3`, `第 3 页`, `第3页 共5页`, `3 / 5`. Page furniture, not text: loaders of paged formats
 * drop such lines under the `page-number` rule.
 */
export function isPageNumber(line: string): boolean {
  return /^[-—–\s]*\d{1,4}[-—–\s]*$/.test(line) || /^第\s*\d+\s*页(\s*[,，]?\s*共\s*\d+\s*页)?$/.test(line) || /^\d+\s*\/\s*\d+$/.test(line);
}

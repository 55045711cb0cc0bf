// Module hook for record-loads-child.ts: appends the URL of every module loaded after it is
// registered to `data.file`, one a line. Written synchronously, so the list is complete when the
// import that caused the loads resolves.
import { appendFileSync } from 'node:fs';

let file;
export function initialize(data) {
  file = data.file;
}

export async function load(url, context, nextLoad) {
  appendFileSync(file, url + '\n');
  return nextLoad(url, context);
}

/**
 * The YAML-ish front matter of a Markdown file: a `---` line, `key: value` lines, a closing `---`
 * (or `...`). Only flat string fields are read (title, source, region, url, date …); nested YAML,
 * list items and comments are skipped, since documents only need labels for citations.
 */
export interface FrontMatter {
  /** Field names as written (trimmed), values unquoted and trimmed. Empty when there is none. */
  fields: Record<string, string>;
  /** The text after the closing fence (the whole input when there is no front matter). */
  body: string;
}

export function parseFrontMatter(source: string): FrontMatter {
  const src = source.replace(/^\uFEFF/, '');
  const open = /^---[ \t]*\r?\n/.exec(src);
  if (!open) return { fields: {}, body: src };
  const rest = src.slice(open[0].length);
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m.exec(rest);
  if (!close) return { fields: {}, body: src };

  const fields: Record<string, string> = {};
  for (const line of rest.slice(0, close.index).split(/\r?\n/)) {
    // Top-level `key: value` only: indented lines belong to nested structures.
    const m = /^([^\s:#][^:]*?)\s*[:：]\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = unquote(m[2]!.replace(/\s+#.*$/, '').trim());
    if (value !== '') fields[m[1]!.trim()] = value;
  }
  return { fields, body: rest.slice(close.index + close[0].length) };
}

function unquote(v: string): string {
  const q = /^"(.*)"$/.exec(v);
  if (q) return q[1]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  const s = /^'(.*)'$/.exec(v);
  if (s) return s[1]!.replace(/''/g, "'");
  // Flow list `[a, b]` kept as `a, b`.
  const list = /^\[(.*)\]$/.exec(v);
  if (list) return list[1]!.split(',').map((x) => unquote(x.trim())).join(', ');
  return v;
}

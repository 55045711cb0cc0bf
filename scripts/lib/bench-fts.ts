/**
 * The reference the lexical index is measured against: SQLite FTS5 (better-sqlite3) over the
 * SAME jieba tokens. Tokens are stored space-joined and FTS5's unicode61 tokenizer splits them
 * back on the spaces (it keeps a run of CJK characters as one token), and each query token is
 * quoted as a phrase, so any token unicode61 would cut further (4.7, c++) is cut the same way
 * on both sides. Ranking is FTS5's bm25(), the same k1 1.2 and b 0.75 as ours.
 *
 * The database holds what our index folder holds: a contentless FTS5 table of the tokens plus a
 * plain table of the passages (document, title, heading, text).
 */
import { stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { Passage } from '../../src/corpus/passage.ts';

export interface FtsBuild {
  ms: number;
  /** The whole database file. */
  bytes: number;
  /** The FTS5 tables alone (dbstat), to compare with lexical.json + lexical.bin. */
  ftsBytes: number;
}

export async function buildFts(file: string, passages: readonly Passage[], tokens: readonly string[][]): Promise<FtsBuild> {
  const t = performance.now();
  const db = new Database(file);
  try {
    db.exec(`
      CREATE TABLE passages(id INTEGER PRIMARY KEY, doc_id TEXT, title TEXT, heading TEXT, text TEXT);
      CREATE VIRTUAL TABLE fts USING fts5(tokens, content='', tokenize='unicode61 remove_diacritics 0');
    `);
    const addPassage = db.prepare('INSERT INTO passages(id, doc_id, title, heading, text) VALUES (?, ?, ?, ?, ?)');
    const addTokens = db.prepare('INSERT INTO fts(rowid, tokens) VALUES (?, ?)');
    db.transaction(() => {
      passages.forEach((p, i) => {
        addPassage.run(p.id, p.docId, p.title, p.heading, p.text);
        addTokens.run(p.id, (tokens[i] ?? []).join(' '));
      });
    })();
    // One merged b-tree, as our postings are: the fair comparison for query time.
    db.exec(`INSERT INTO fts(fts) VALUES('optimize')`);
  } finally {
    db.close();
  }
  const ms = performance.now() - t;
  const bytes = (await stat(file)).size;
  const probe = new Database(file, { readonly: true });
  try {
    const row = probe.prepare(`SELECT SUM(pgsize) AS n FROM dbstat WHERE name LIKE 'fts%'`).get() as { n: number | null };
    return { ms, bytes, ftsBytes: row.n ?? 0 };
  } finally {
    probe.close();
  }
}

/** An FTS5 match expression: the question's distinct tokens, each a quoted phrase, OR-ed. */
export function ftsQuery(tokens: readonly string[]): string {
  return [...new Set(tokens)].map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
}

export class FtsSearcher {
  private readonly db: Database.Database;
  private readonly stmt: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true });
    this.stmt = this.db.prepare('SELECT rowid AS id, bm25(fts) AS score FROM fts WHERE fts MATCH ? ORDER BY score LIMIT ?');
  }

  /** Best first; bm25() is lower for better matches, so scores are negated to read like ours. */
  search(tokens: readonly string[], k: number): Array<{ id: number; score: number }> {
    if (!tokens.length) return [];
    const rows = this.stmt.all(ftsQuery(tokens), k) as Array<{ id: number; score: number }>;
    return rows.map((r) => ({ id: r.id, score: -r.score }));
  }

  close(): void {
    this.db.close();
  }
}

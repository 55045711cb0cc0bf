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
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chunkDocument } from '../../src/corpus/chunk.ts';
import { isSupported, loadDocument } from '../../src/corpus/load-document.ts';
import type { Passage } from '../../src/corpus/passage.ts';
import { listCorpusFiles } from '../../src/index/corpus-walk.ts';
import { passageTokens } from '../../src/index/passage-tokens.ts';

export interface FtsBuild {
  ms: number;
  /** The whole database file. */
  bytes: number;
  /** The FTS5 tables alone (dbstat), to compare with lexical.json + lexical.bin. */
  ftsBytes: number;
}

/** A passage as both databases store it; ids are our passage ids, so hits compare directly. */
export type FtsPassage = Pick<Passage, 'id' | 'docId' | 'title' | 'heading' | 'text'>;

/**
 * Writes the reference database one passage at a time inside one transaction, as an FTS5 user
 * would stream a corpus in: nothing but SQLite's own buffers is held between passages.
 */
export class FtsWriter {
  private readonly db: Database.Database;
  private readonly addPassage: Database.Statement;
  private readonly addTokens: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file);
    try {
      this.db.exec(`
        CREATE TABLE passages(id INTEGER PRIMARY KEY, doc_id TEXT, title TEXT, heading TEXT, text TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(tokens, content='', tokenize='unicode61 remove_diacritics 0');
        BEGIN;
      `);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.addPassage = this.db.prepare('INSERT INTO passages(id, doc_id, title, heading, text) VALUES (?, ?, ?, ?, ?)');
    this.addTokens = this.db.prepare('INSERT INTO fts(rowid, tokens) VALUES (?, ?)');
  }

  add(p: FtsPassage, tokens: readonly string[]): void {
    this.addPassage.run(p.id, p.docId, p.title, p.heading, p.text);
    this.addTokens.run(p.id, tokens.join(' '));
  }

  /** Commits, then merges into one b-tree, as our postings are: the fair comparison for query time. */
  finish(): void {
    try {
      this.db.exec('COMMIT');
      this.db.exec(`INSERT INTO fts(fts) VALUES('optimize')`);
    } finally {
      this.db.close();
    }
  }
}

/**
 * The FTS5 counterpart of our whole ingest, for its time and peak memory in a fresh process:
 * list, read, parse and chunk each file as ingest does, tokenize each passage with the same
 * passageTokens, and stream it into the database. Files ingest would skip are skipped the same
 * way, so the passage and token counts can be checked against ours.
 */
export async function ftsIngest(corpusDir: string, file: string, maxFileBytes: number): Promise<{ passages: number; tokens: number }> {
  const writer = new FtsWriter(file);
  let passages = 0;
  let tokens = 0;
  const seenDocIds = new Set<string>();
  try {
    for (const rel of (await listCorpusFiles(corpusDir)).files.filter(isSupported)) {
      const abs = path.join(corpusDir, rel);
      let chunks: ReturnType<typeof chunkDocument>;
      try {
        if ((await stat(abs)).size > maxFileBytes) continue;
        const doc = await loadDocument(abs, corpusDir, { maxBytes: maxFileBytes, bytes: await readFile(abs) });
        if (seenDocIds.has(doc.docId)) continue;
        seenDocIds.add(doc.docId);
        chunks = chunkDocument(doc);
      } catch {
        // Ingest skips (and logs) the same file; the counts say whether both sides agree.
        continue;
      }
      for (const c of chunks) {
        const tk = passageTokens(c);
        writer.add({ ...c, id: passages++ }, tk);
        tokens += tk.length;
      }
    }
  } finally {
    writer.finish();
  }
  return { passages, tokens };
}

export async function buildFts(file: string, passages: readonly FtsPassage[], tokens: readonly string[][]): Promise<FtsBuild> {
  const t = performance.now();
  const writer = new FtsWriter(file);
  passages.forEach((p, i) => writer.add(p, tokens[i] ?? []));
  writer.finish();
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
  private readonly textStmt: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true });
    this.stmt = this.db.prepare('SELECT rowid AS id, bm25(fts) AS score FROM fts WHERE fts MATCH ? ORDER BY score LIMIT ?');
    this.textStmt = this.db.prepare('SELECT title, heading, text FROM passages WHERE id = ?');
  }

  /** Best first; bm25() is lower for better matches, so scores are negated to read like ours. */
  search(tokens: readonly string[], k: number): Array<{ id: number; score: number }> {
    if (!tokens.length) return [];
    const rows = this.stmt.all(ftsQuery(tokens), k) as Array<{ id: number; score: number }>;
    return rows.map((r) => ({ id: r.id, score: -r.score }));
  }

  /** What an answer is composed from: the stored passage, read back by id. */
  passage(id: number): { title: string; heading: string; text: string } | undefined {
    return this.textStmt.get(id) as { title: string; heading: string; text: string } | undefined;
  }

  close(): void {
    this.db.close();
  }
}

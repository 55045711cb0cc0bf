/**
 * A real knowledge base in a temp folder, for tests of the answering core and its edges:
 *
 *   const kb = await buildKbFixture();                          // the bundled corpus/
 *   const kb = await buildKbFixture({ docs: { 'a.md': '# 标题\n正文。' } });
 *   after(() => kb.cleanup());
 *   const base = await kb.open();                               // openKnowledgeBase, no model
 *   const base = await kb.open({ chatModel });                  // with a chat model
 *
 * Built with `ingest` and `embedder: null` (lexical only: no model weights on test machines), and
 * config from `loadConfig({ env: { EMBEDDING_PROVIDER: 'none', ...env }, dotenvDir: false })`, so
 * neither process.env nor the repo's `.env` leaks in.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../src/config.ts';
import { ingest, type IngestReport } from '../../src/index/ingest.ts';
import { openKnowledgeBase, type KnowledgeBase, type OpenKnowledgeBaseOptions } from '../../src/knowledge-base.ts';

/** The repository root, for spawning scripts and reading bundled files. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The bundled corpus. */
export const BUNDLED_CORPUS = path.join(REPO_ROOT, 'corpus');

export interface KbFixtureOptions {
  /** Corpus-relative path → file text. When given, these files are the whole corpus. */
  docs?: Record<string, string>;
  /** Copy this folder as the corpus instead (default: the bundled corpus). Ignored with `docs`. */
  corpusDir?: string;
  /** Extra config variables (e.g. RETRIEVAL_TOP_K, MAX_QUESTION_CHARS). */
  env?: Record<string, string>;
}

export interface KbFixture {
  /** The temp folder holding `corpus/` and `data/index/` (a project layout). */
  dir: string;
  corpusDir: string;
  indexDir: string;
  config: Config;
  report: IngestReport;
  /** Opens the built index; `embedder` is always null, `chatModel` null unless given. */
  open(options?: Omit<OpenKnowledgeBaseOptions, 'config' | 'indexDir' | 'embedder'>): Promise<KnowledgeBase>;
  cleanup(): Promise<void>;
}

export async function buildKbFixture(options: KbFixtureOptions = {}): Promise<KbFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-kb-'));
  try {
    const corpusDir = path.join(dir, 'corpus');
    const indexDir = path.join(dir, 'data', 'index');
    if (options.docs) {
      for (const [rel, text] of Object.entries(options.docs)) {
        const file = path.join(corpusDir, rel);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, text);
      }
    } else {
      await cp(options.corpusDir ?? BUNDLED_CORPUS, corpusDir, { recursive: true });
    }
    const config = loadConfig({
      env: { EMBEDDING_PROVIDER: 'none', CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, ...options.env },
      dotenvDir: false,
      cwd: dir,
    });
    const report = await ingest({ corpusDir, indexDir, config, embedder: null });
    return {
      dir,
      corpusDir,
      indexDir,
      config,
      report,
      open: (o = {}) => openKnowledgeBase({ chatModel: null, ...o, config, indexDir, embedder: null }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The manifest is the one file that says which index generation is current. Each ingest writes
 * a complete new generation folder, then replaces manifest.json with an atomic rename, so a
 * reader sees the old index or the new one and never a mixture (STYLE: refuse incompatible
 * saved indexes with a clear message, after minisearch's loadJSON).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { describeError, IndexError } from '../errors.ts';
import type { DroppedCounts } from '../corpus/source-mark.ts';
import { syncDir, writeFileSynced } from './durable-write.ts';

/** Bump on any change of the on-disk layout. */
export const INDEX_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestDocument {
  docId: string;
  /** Corpus-relative path with extension. */
  path: string;
  title: string;
  /** sha256 of the raw file bytes. */
  hash: string;
  bytes: number;
  /** Passage ids firstPassage .. firstPassage + passages - 1 belong to this document. */
  firstPassage: number;
  passages: number;
  /** Characters the loader dropped on purpose, by rule (absent: none, or an older index). */
  dropped?: DroppedCounts;
  /** The document's format as read (by content when its extension said otherwise). */
  format?: string;
}

export interface Manifest {
  formatVersion: number;
  /** Name of the generation folder inside the index dir, e.g. `gen-20261125T181500123Z`. */
  generation: string;
  builtAt: string;
  chunkerVersion: number;
  /** Passage sizes used (minChars, maxChars, overlapChars). */
  chunking?: { minChars: number; maxChars: number; overlapChars: number };
  lexicalFormat: number;
  /**
   * null when the index is lexical only. `vectorsSha256` checks vectors.f32 before the next
   * ingest reuses it; indexes built before it was recorded lack it (no format change: optional).
   */
  embedding: { id: string; dimension: number; vectorsSha256?: string } | null;
  documents: ManifestDocument[];
  passages: number;
  skipped: Array<{ path: string; reason: string }>;
}

export async function readManifest(indexDir: string): Promise<Manifest | null> {
  const file = path.join(indexDir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new IndexError('INDEX_CORRUPT', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  let m: Manifest;
  try {
    m = JSON.parse(raw) as Manifest;
  } catch (cause) {
    throw new IndexError('INDEX_CORRUPT', `${file} is not valid JSON; rebuild with: npm run ingest -- --rebuild`, { cause });
  }
  if (typeof m !== 'object' || m === null || typeof m.formatVersion !== 'number') {
    throw new IndexError('INDEX_CORRUPT', `${file} is not a Tongxin manifest; rebuild with: npm run ingest -- --rebuild`);
  }
  if (m.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexError(
      'INDEX_INCOMPATIBLE',
      `${file} has index format ${m.formatVersion}, this version reads ${INDEX_FORMAT_VERSION}; rebuild with: npm run ingest -- --rebuild`,
    );
  }
  if (typeof m.generation !== 'string' || !/^gen-[\w-]+$/.test(m.generation) || !Array.isArray(m.documents)) {
    throw new IndexError('INDEX_CORRUPT', `${file} is damaged; rebuild with: npm run ingest -- --rebuild`);
  }
  return m;
}

/** Temporary manifests are `manifest.json.<pid>.<random>.tmp`; a killed ingest leaves one behind. */
export const isManifestTemp = (name: string): boolean => name.startsWith(`${MANIFEST_FILE}.`) && name.endsWith('.tmp');

/** Writes the manifest to a temporary file, flushes it, then renames it over the old one. */
export async function writeManifestAtomic(indexDir: string, manifest: Manifest): Promise<void> {
  const file = path.join(indexDir, MANIFEST_FILE);
  // The pid alone is not unique: two writes from one process must never share a temp file.
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFileSynced(tmp, JSON.stringify(manifest, null, 1));
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  try {
    await syncDir(indexDir);
  } catch (cause) {
    throw new IndexError(
      'INDEX_WRITE_FAILED',
      `${file} names the new index now, but flushing ${indexDir} failed (${describeError(cause)}): the disk may be failing, and after a power cut the previous manifest could come back`,
      { cause },
    );
  }
}

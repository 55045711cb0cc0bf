/**
 * Index folders for the load children, made of hard links to a generation ingest already wrote
 * (no second copy of 60 MB): a dense knowledge base (the lexical generation plus the bench's
 * HNSW graph, its manifest naming an embedding) and a second generation to hot-reload into, so
 * the children measure what a bot holds while the old and the new index are both alive.
 */
import { copyFile, link, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TongxinError } from '../../src/errors.ts';
import { readManifest, writeManifestAtomic, type Manifest } from '../../src/index/manifest.ts';

/** `dest` gets `src`'s current generation, plus `extraFiles` in it, and a manifest with `embedding`. */
export async function cloneIndex(src: string, dest: string, options: { extraFiles?: string[]; embedding?: Manifest['embedding'] } = {}): Promise<void> {
  const manifest = await current(src);
  const genDir = path.join(dest, manifest.generation);
  await linkFolder(path.join(src, manifest.generation), genDir);
  for (const file of options.extraFiles ?? []) await linkOrCopy(file, path.join(genDir, path.basename(file)));
  await writeManifestAtomic(dest, { ...manifest, embedding: options.embedding ?? manifest.embedding });
}

/**
 * Links the current generation of `indexDir` into a new generation beside it and writes the
 * manifest naming it to `manifestFile` (outside the index folder): copying that file over
 * manifest.json is then what an ingest's rename does. Returns `manifestFile`.
 */
export async function nextGeneration(indexDir: string, manifestFile: string): Promise<string> {
  const manifest = await current(indexDir);
  const generation = `${manifest.generation}-next`;
  await linkFolder(path.join(indexDir, manifest.generation), path.join(indexDir, generation));
  await writeFile(manifestFile, JSON.stringify({ ...manifest, generation, builtAt: new Date().toISOString() }));
  return manifestFile;
}

async function current(indexDir: string): Promise<Manifest> {
  const manifest = await readManifest(indexDir);
  if (!manifest) throw new TongxinError('BAD_INPUT', `bench: no index in ${indexDir}`);
  return manifest;
}

async function linkFolder(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) await linkOrCopy(path.join(from, name), path.join(to, name));
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    // A file system without hard links (or another device): a copy measures the same.
    await copyFile(from, to);
  }
}

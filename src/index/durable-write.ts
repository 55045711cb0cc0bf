/**
 * Writes that survive a power cut. Every file of a new generation is flushed to disk before the
 * manifest's rename makes it current: without the fsync, ext4's delayed allocation can leave the
 * renamed manifest pointing at files that are empty or short after a crash.
 */
import { open } from 'node:fs/promises';

export async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Flushes a file another library wrote (hnswlib's writeIndex does not fsync); returns its size. */
export async function syncFile(file: string): Promise<number> {
  const fh = await open(file, 'r+');
  try {
    await fh.sync();
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}

/** fsync of a directory makes a rename durable on ext4; not possible on every platform. */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open a directory for sync; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

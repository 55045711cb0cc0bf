/**
 * Writes that survive a power cut. Every file of a new generation is flushed to disk before the
 * manifest's rename makes it current: without the fsync, ext4's delayed allocation can leave the
 * renamed manifest pointing at files that are empty or short after a crash.
 */
import { open, type FileHandle } from 'node:fs/promises';

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

/**
 * Codes with which a file system refuses to fsync a directory at all: procfs, some FUSE and
 * network mounts say EINVAL; EPERM and EISDIR come from platforms that will not open one for it.
 * The rename is still atomic there; nothing more can be done. Any other failure, EIO above all,
 * means the disk did not take the write, and is thrown.
 */
const DIR_SYNC_UNSUPPORTED = new Set(['EINVAL', 'EPERM', 'EISDIR']);

/** fsync of a directory makes a rename durable on ext4; not possible on every platform. */
export async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a directory to flush it; its renames are atomic without.
  if (process.platform === 'win32') return;
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await fh?.close();
  }
}

/**
 * One ingest per index directory at a time. The lock is a file created with O_EXCL holding the
 * owner's pid; a lock whose process is gone (a killed ingest) is stale and taken over.
 *
 * A lock file naming our own pid is stale too when this process does not hold it: a restarted
 * container often reuses the pid of the ingest that was killed. Locks this process does hold are
 * kept in memory, so a second ingest started here is refused like one from another process.
 */
import { open, readFile, realpath, unlink } from 'node:fs/promises';
import path from 'node:path';
import { IndexError } from '../errors.ts';
import type { Logger } from '../log.ts';

export const LOCK_FILE = 'ingest.lock';

export interface IndexLock {
  release(): Promise<void>;
}

/** Index folder (real path, so two spellings of one folder are one key) -> when this process locked it. */
const heldHere = new Map<string, string>();

export async function acquireIndexLock(indexDir: string, logger?: Logger): Promise<IndexLock> {
  const file = path.join(indexDir, LOCK_FILE);
  const key = await realpath(indexDir).catch(() => path.resolve(indexDir));
  // Checked and claimed with no await in between, so of two calls started together one passes.
  const held = heldHere.get(key);
  if (held !== undefined) throw lockedBy(process.pid, held, indexDir);
  const since = new Date().toISOString();
  heldHere.set(key, since);
  try {
    const unlockFile = await createLockFile(file, since, indexDir, logger);
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        await unlockFile();
        heldHere.delete(key);
      },
    };
  } catch (err) {
    heldHere.delete(key);
    throw err;
  }
}

/** Creates the lock file; returns the function that removes it. */
async function createLockFile(file: string, since: string, indexDir: string, logger?: Logger): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(JSON.stringify({ pid: process.pid, since }));
      } catch (err) {
        // A full disk: do not leave an empty lock (and an open handle) behind.
        await fh.close().catch(() => undefined);
        await unlink(file).catch(() => undefined);
        throw err;
      }
      await fh.close();
      return () => unlink(file).catch((err) => logger?.warn('could not remove ingest lock', { file, err }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new IndexError('INDEX_WRITE_FAILED', `cannot create ${file}: ${(err as Error).message}`, { cause: err });
      }
      const owner = await readOwner(file);
      if (owner && owner.pid !== process.pid && isAlive(owner.pid)) throw lockedBy(owner.pid, owner.since, indexDir);
      logger?.warn('removing a stale ingest lock left by a stopped ingest', { file, pid: owner?.pid });
      await unlink(file).catch(() => undefined);
    }
  }
  throw new IndexError('INDEX_LOCKED', `cannot take the ingest lock ${file}`);
}

function lockedBy(pid: number, since: string, indexDir: string): IndexError {
  return new IndexError('INDEX_LOCKED', `another ingest (pid ${pid}, since ${since}) is updating ${indexDir}; wait for it to finish`);
}

async function readOwner(file: string): Promise<{ pid: number; since: string } | null> {
  try {
    const o = JSON.parse(await readFile(file, 'utf8'));
    return typeof o?.pid === 'number' ? o : null;
  } catch {
    // An empty or half-written lock file: its writer died between create and write.
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One ingest per index directory at a time. The lock is a file holding the owner's pid, linked
 * into place atomically; a lock whose process is gone (a killed ingest) is stale and taken over.
 *
 * A lock file naming our own pid is stale too when this process does not hold it: a restarted
 * container often reuses the pid of the ingest that was killed. Locks this process does hold are
 * kept in memory, so a second ingest started here is refused like one from another process.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { link, readFile, realpath, rename, unlink, writeFile } from 'node:fs/promises';
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
  if (held !== undefined) throw lockedBy({ pid: process.pid, since: held }, indexDir);
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

/**
 * Creates the lock file; returns the function that removes it. The file is written under a
 * private name and hard-linked into place (atomic, fails if the lock exists), so no other ingest
 * ever reads it empty or half-written and mistakes it for a dead one's.
 */
async function createLockFile(file: string, since: string, indexDir: string, logger?: Logger): Promise<() => Promise<void>> {
  const mine = JSON.stringify({ pid: process.pid, since });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, mine, { flag: 'wx' });
  } catch (err) {
    // A full or read-only disk: leave nothing behind.
    await unlink(temp).catch(() => undefined);
    throw new IndexError('INDEX_WRITE_FAILED', `cannot create ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(temp, file);
        return () => unlink(file).catch((err) => logger?.warn('could not remove ingest lock', { file, err }));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new IndexError('INDEX_WRITE_FAILED', `cannot create ${file}: ${(err as Error).message}`, { cause: err });
        }
      }
      const seen = await readFile(file, 'utf8').catch(() => null);
      if (seen === null) continue; // released meanwhile
      const owner = parseOwner(seen);
      if (owner && owner.pid !== process.pid && isAlive(owner.pid)) throw lockedBy(owner, indexDir);
      logger?.warn('removing a stale ingest lock left by a stopped ingest', { file, pid: owner?.pid });
      await takeAside(file, seen, indexDir, logger);
    }
    throw new IndexError('INDEX_LOCKED', `cannot take the ingest lock ${file}`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Removes a stale lock, but only the one that was read: of two ingests taking over the same dead
 * lock, the second would otherwise delete the first one's fresh lock. Renaming is atomic, so the
 * file moved aside is checked; if it is not the stale one, it goes back and this ingest gives way.
 */
async function takeAside(file: string, seen: string, indexDir: string, logger?: Logger): Promise<void> {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new IndexError('INDEX_WRITE_FAILED', `cannot remove the stale lock ${file}: ${(err as Error).message}`, { cause: err });
  }
  const moved = await readFile(aside, 'utf8').catch(() => seen);
  if (moved !== seen) {
    await putBackLock(aside, file, logger);
    throw lockedBy(parseOwner(moved), indexDir);
  }
  await unlink(aside).catch(() => undefined);
}

/**
 * Puts back a live ingest's lock that `takeAside` moved. When that fails (a third ingest has
 * taken the lock meanwhile, or the disk refused), the live ingest runs on without a lock file
 * and another may start beside it: logged as an error, naming the lock and its owner.
 */
export async function putBackLock(aside: string, file: string, logger?: Logger): Promise<void> {
  try {
    await link(aside, file);
  } catch (err) {
    const owner = parseOwner(await readFile(aside, 'utf8').catch(() => ''));
    logger?.error("could not put back another ingest's lock: until that ingest ends, a second one is not kept out", { file, pid: owner?.pid, err });
  }
  await unlink(aside).catch(() => undefined);
}

/** `owner` null: a lock whose content could not be read (being written, from an older version). */
function lockedBy(owner: { pid: number; since: string } | null, indexDir: string): IndexError {
  const who = owner ? ` (pid ${owner.pid}, since ${owner.since})` : '';
  return new IndexError('INDEX_LOCKED', `another ingest${who} is updating ${indexDir}; wait for it to finish`);
}

function parseOwner(text: string): { pid: number; since: string } | null {
  try {
    const o = JSON.parse(text);
    return typeof o?.pid === 'number' ? o : null;
  } catch {
    // An empty or half-written lock file from an older version whose writer died mid-write.
    return null;
  }
}

/**
 * A killed ingest whose parent went with it can stay a zombie until something reaps it (in a
 * container, often nothing does), and kill(pid, 0) still succeeds on a zombie: its lock would
 * block every later ingest. On Linux /proc tells a zombie (Z) or a dying process (X) apart.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc (macOS, Windows) or the process just went: kill(pid, 0) is all there is to go on.
    return false;
  }
  // `pid (comm) state …`: comm may hold spaces and brackets, so read after the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

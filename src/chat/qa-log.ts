import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnswerMode } from '../answer/types.ts';
import type { Logger } from '../log.ts';

/**
 * What became of a question. `refused` marks a corpus gap in the report, and `middle` a partial one
 * (the nearest rule quoted under 资料中没有直接的答案, Answer.middle); `declined` ones were not put
 * to the core (the asker's cooldown pause, or a full queue) and may have had no reply.
 */
export type QaOutcome = 'answered' | 'middle' | 'refused' | 'blocked' | 'error' | 'declined';

/** One line of `qa-YYYY-MM-DD.jsonl`. */
export interface QaRecord {
  /** ISO time the question was received. */
  time: string;
  /** Where it was asked: `wechaty`, `wecom` or `mp`; absent in logs written before channels. */
  channel?: string;
  room: { id: string; topic: string } | null;
  /** sha256(salt + id) of the asker; the plain id is never written. */
  asker: string;
  question: string;
  answer: string;
  refused: boolean;
  outcome: QaOutcome;
  mode: AnswerMode | null;
  citations: Array<{ docId: string; title: string }>;
  /** Time to answer, as the core measured it; 0 when the core was not asked. */
  ms: number;
  /** Why a `declined` question was not answered; only on those (`rate`: MP_MAX_PER_MINUTE). */
  declined?: 'cooldown' | 'busy' | 'rate';
}

export type QaEntry = Omit<QaRecord, 'time' | 'asker' | 'channel'> & { channel: string; askerId: string; receivedAt: number };

export const SALT_FILE = '.salt';

/** `YYYY-MM-DD` in the machine's time zone: staff read the logs by their own calendar. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function qaLogFile(dir: string, ms: number): string {
  return path.join(dir, `qa-${localDate(ms)}.jsonl`);
}

/**
 * Appends every question and answer to a daily JSONL file (BOT_LOG_DIR). Writes are queued in
 * order and never block a reply; a failed write is logged, not thrown. The record's time and the
 * day's file come from the entry's `receivedAt`, read off the engine's clock, so it takes none.
 */
export class QaLog {
  readonly #dir: string;
  readonly #logger: Logger;
  #salt: Promise<string> | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(options: { dir: string; logger: Logger }) {
    this.#dir = options.dir;
    this.#logger = options.logger;
  }

  /** The salted hash written in place of an id. */
  async hashId(id: string): Promise<string> {
    const salt = await this.#loadSalt();
    return createHash('sha256').update(`${salt}:${id}`).digest('hex');
  }

  append(entry: QaEntry): void {
    this.#chain = this.#chain.then(async () => {
      try {
        const { askerId, receivedAt, ...rest } = entry;
        const record: QaRecord = {
          time: new Date(receivedAt).toISOString(),
          channel: rest.channel,
          room: rest.room,
          asker: await this.hashId(askerId),
          question: rest.question,
          answer: rest.answer,
          refused: rest.refused,
          outcome: rest.outcome,
          mode: rest.mode,
          citations: rest.citations,
          ms: rest.ms,
          ...(rest.declined ? { declined: rest.declined } : {}),
        };
        await appendFile(qaLogFile(this.#dir, receivedAt), JSON.stringify(record) + '\n', 'utf8');
      } catch (err) {
        this.#logger.error('qa log write failed', { err, dir: this.#dir });
      }
    });
  }

  /** Resolves when every appended entry is on disk. */
  flush(): Promise<void> {
    return this.#chain;
  }

  /** A per-install random salt kept beside the logs, so hashes cannot be reversed by guessing ids. */
  #loadSalt(): Promise<string> {
    this.#salt ??= (async () => {
      await mkdir(this.#dir, { recursive: true });
      const file = path.join(this.#dir, SALT_FILE);
      try {
        await writeFile(file, randomBytes(16).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const salt = (await readFile(file, 'utf8')).trim();
      if (!salt) throw new Error(`empty salt file ${file}`);
      return salt;
    })();
    // A failed load is retried next time rather than cached.
    this.#salt.catch(() => (this.#salt = undefined));
    return this.#salt;
  }
}

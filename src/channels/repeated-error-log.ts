/**
 * Wechaty reports the same failure again and again while WeChat cannot be reached: with no
 * network, `npm start` logged 115 error lines of about 2 KB each (the whole stack) in 40 s, which
 * would be hundreds of MB a day under a process manager. The first occurrence of an error is
 * logged in full; repeats of the same message within `windowMs` are only counted, and the count is
 * logged with the next occurrence after the window. A failure to reach the servers says so.
 */
import type { Clock } from '../chat/clock.ts';
import type { Logger } from '../log.ts';

const UNREACHABLE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up/;

export function repeatedErrorLog(logger: Logger, msg: string, clock: Clock, windowMs = 60_000): (err: unknown) => void {
  const seen = new Map<string, { since: number; repeats: number }>();
  return (err) => {
    const key = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const now = clock.now();
    const last = seen.get(key);
    if (last && now - last.since < windowMs) {
      last.repeats++;
      return;
    }
    // Many distinct messages (ids in them) must not grow the map without bound.
    if (!last && seen.size >= 100) seen.clear();
    seen.set(key, { since: now, repeats: 0 });
    const fields: Record<string, unknown> = { err };
    if (last?.repeats) fields.repeatedSinceLastLine = last.repeats;
    if (UNREACHABLE.test(key)) fields.hint = 'cannot reach the WeChat servers: check this machine\'s network; Wechaty keeps retrying';
    logger.error(msg, fields);
  };
}

/**
 * Logs go to stderr so that stdout stays free for machine output (`--json`). On a terminal a
 * line is human-readable; otherwise one JSON object per line, for log collectors.
 */
import { redactor } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** `json` forces JSON lines, `pretty` forces text; default: pretty on a TTY. */
  format?: 'json' | 'pretty' | 'auto';
  /** Where lines go; stderr by default. Tests pass a collector. */
  write?: (line: string) => void;
  /** Values that must never appear in a log line (API keys). Replaced by `***`. */
  secrets?: string[];
}

export function createLogger(options: LoggerOptions = {}, bound: Record<string, unknown> = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const json =
    options.format === 'json' || ((options.format ?? 'auto') === 'auto' && !process.stderr.isTTY);
  const redact = redactor(options.secrets ?? []);

  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const all = { ...bound, ...fields };
    let line: string;
    if (json) {
      line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...all }, errorReplacer);
    } else {
      const extra = Object.keys(all).length ? ' ' + JSON.stringify(all, errorReplacer) : '';
      line = `${level === 'info' ? '' : level.toUpperCase() + ' '}${msg}${extra}`;
    }
    write(redact(line));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code ? { code } : {}) };
  }
  return value;
}

/** A logger that drops everything; for library callers who pass none. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });

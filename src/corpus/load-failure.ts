/**
 * Why a corpus file could not be read or loaded, for the ingest report. One bad file never stops
 * an ingest, so every failure becomes a skip; what differs is who must act. An expected per-file
 * failure (a LoadError: corrupt, empty, encrypted, binary…; the file gone, forbidden or no longer
 * a file) is the file's problem: one quiet line. Anything else (a TypeError or stack overflow in a
 * loader, EIO, EMFILE, ENOMEM, a module that would not load) is a bug or a sick machine: the skip
 * reason says so, so that staff report it, and the caller logs the error with its stack.
 */
import { describeError, LoadError } from '../errors.ts';
import { fsReason } from './load-document.ts';

export interface LoadFailure {
  /** One line for the report and the manifest. */
  reason: string;
  /** True when the error is not one a file can be expected to cause: log it with its stack. */
  unexpected: boolean;
}

/** What a file itself can cause: vanished, forbidden, or not a regular file (any more). */
const FILE_ERROR_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);

export function classifyLoadFailure(err: unknown): LoadFailure {
  // loadDocument wraps its own read errors in LoadError: an EIO stays unexpected when wrapped.
  const cause = err instanceof LoadError ? err.cause : err;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const fsError = cause instanceof Error && typeof code === 'string' && typeof (cause as NodeJS.ErrnoException).syscall === 'string';
  if (fsError && FILE_ERROR_CODES.has(code)) return { reason: err instanceof LoadError ? err.reason : fsReason(cause), unexpected: false };
  if (err instanceof LoadError && !fsError) return { reason: err.reason, unexpected: false };
  return { reason: `unexpected error (${describeError(cause)}); please report it`, unexpected: true };
}

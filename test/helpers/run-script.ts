/**
 * Runs one of the project's TypeScript entry points in a child process, the way `npm run …` does
 * (node + tsx), with stdin piped and stdout/stderr collected:
 *
 *   const r = await runScript('src/channels/ask-cli.ts', ['--json', '问题'], { cwd: kb.dir });
 *   r.code; r.stdout; r.stderr;
 *
 * Offline and lexical-only by default (EMBEDDING_PROVIDER=none, OPENAI_* empty, which config
 * treats as unset). Give `cwd` a temp folder so the repo's `.env` is never read.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './kb-fixture.ts';

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunScriptOptions {
  cwd: string;
  /** Written to stdin, which is then closed. Default: stdin closed at once. */
  input?: string;
  /** Extra variables over the offline defaults. */
  env?: Record<string, string>;
  /**
   * Run as this user (needs root): root ignores file modes, so a test of an unreadable file runs
   * its child as `nobody` (NOBODY). Give such a child a HOME it may use (`env: { HOME: cwd }`).
   */
  user?: { uid: number; gid: number };
}

/** uid and gid of `nobody` on Debian and Ubuntu. */
export const NOBODY = { uid: 65534, gid: 65534 };

// Absolute, so the loader is found from a temp cwd outside the repo.
const TSX_LOADER = import.meta.resolve('tsx');

export function runScript(script: string, args: string[], options: RunScriptOptions): Promise<ScriptResult> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(REPO_ROOT, script), ...args], {
    cwd: options.cwd,
    env: { ...process.env, EMBEDDING_PROVIDER: 'none', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...options.user,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // A child that exits before reading all of stdin (a usage error) makes the write fail with
  // EPIPE; its exit code and stderr are what the test looks at.
  child.stdin.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') stderr += `run-script: stdin: ${err.message}\n`;
  });
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

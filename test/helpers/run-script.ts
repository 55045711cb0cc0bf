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
   * File modes apply to the child even when tests run as root (as in CI containers), where a
   * chmod 000 file would still be read. As root the child starts through setpriv without the two
   * capabilities that override file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH). It stays root
   * otherwise, so it reaches the repository wherever it was cloned: a 0700 mktemp folder kept the
   * `nobody` these tests used before out of it.
   */
  obeyFileModes?: boolean;
}

/** The command and arguments that start `args` under the file modes, as `obeyFileModes` says. */
export function obeyingFileModes(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--bounding-set', '-dac_override,-dac_read_search', '--', command, ...args]];
}

// Absolute, so the loader is found from a temp cwd outside the repo.
const TSX_LOADER = import.meta.resolve('tsx');

export function runScript(script: string, args: string[], options: RunScriptOptions): Promise<ScriptResult> {
  const node: [string, string[]] = [process.execPath, ['--import', TSX_LOADER, path.join(REPO_ROOT, script), ...args]];
  const [command, argv] = options.obeyFileModes ? obeyingFileModes(...node) : node;
  const child = spawn(command, argv, {
    cwd: options.cwd,
    env: { ...process.env, EMBEDDING_PROVIDER: 'none', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
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

/**
 * Entry-point wrapper for scripts: a known TongxinError prints one clear line (no stack) and
 * exits 1; anything else prints its stack, since it is a bug.
 */
import { TongxinError } from '../errors.ts';

export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof TongxinError) {
      process.stderr.write(`${err.message}${err.cause ? `\n  cause: ${(err.cause as Error)?.message ?? String(err.cause)}` : ''}\n`);
    } else {
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    }
    process.exitCode = 1;
  }
}

/** Tiny argument parser for our scripts: `--flag`, `--key value`, `--key=value`, positionals. */
import { TongxinError } from '../errors.ts';

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
  positionals: string[];
}

export function parseArgs(argv: string[], spec: { flags: string[]; values: string[] }): ParsedArgs {
  const out: ParsedArgs = { flags: new Set(), values: new Map(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.flags.includes(name)) out.flags.add(name);
    else if (spec.values.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new TongxinError('BAD_INPUT', `--${name} needs a value`);
      out.values.set(name, v);
    } else {
      const known = [...spec.flags, ...spec.values].map((n) => `--${n}`).join(' ');
      throw new TongxinError('BAD_INPUT', `unknown option --${name} (known: ${known})`);
    }
  }
  return out;
}

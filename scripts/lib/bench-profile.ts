/**
 * Where the time goes: self time per function from a V8 `.cpuprofile` (`node --cpu-prof`),
 * summed over every node of the call tree with the same function, file and line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  /** `name (file:line)`, file relative to the project or the package name. */
  fn: string;
  selfMs: number;
  /** Share of all sampled time, 0..1. */
  share: number;
}

export async function topFunctions(file: string, n: number): Promise<{ totalMs: number; top: HotFunction[] }> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time since the previous sample: charge it to this sample's function.
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const frame = byNode.get(id)?.callFrame;
    const key = frame ? label(frame) : '(unknown)';
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, us]) => ({ fn, selfMs: Math.round(us / 1000), share: Math.round((us / Math.max(1, total)) * 1000) / 1000 }));
  return { totalMs: Math.round(total / 1000), top };
}

function label(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const p = frame.url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  const where = nm >= 0 ? p.slice(nm + 'node_modules/'.length) : path.relative(process.cwd(), p);
  // tsx-compiled modules report line 0 for every function: then the line says nothing.
  return frame.lineNumber > 0 ? `${name} (${where}:${frame.lineNumber + 1})` : `${name} (${where})`;
}

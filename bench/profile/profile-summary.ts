import fs from 'node:fs';
import path from 'node:path';

/** The parts of a V8 .cpuprofile (`node --cpu-prof`) this summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly hitCount?: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface SelfTimeRow {
  readonly fn: string;
  readonly where: string;
  readonly selfMs: number;
  readonly percent: number;
}

/** Where a frame lives, short: `src/rules/contrast-renal.js:40`, `express/lib/router`, `(native)`. */
function shortWhere(url: string, line: number, root: string): string {
  if (url === '') return '(native)';
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) return `${file.slice(nm + 'node_modules/'.length)}:${line + 1}`;
  if (file.startsWith(root)) return `${path.relative(root, file)}:${line + 1}`;
  return `${file}:${line + 1}`;
}

/**
 * Top functions by self time (samples that landed in the function itself, not its callees). Samples in
 * the first `skipMs` after the profiler started (module loading, content compilation) are left out, so
 * the table shows the steady state under load, not start-up.
 */
export function summariseProfile(file: string, root: string, top = 20, skipMs = 0): { rows: SelfTimeRow[]; totalMs: number; idleMs: number } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const hits = new Map<number, number>();
  let t = 0;
  let sampleCount = 0;
  for (let i = 0; i < samples.length; i += 1) {
    t += deltas[i] ?? 0;
    if (t < skipMs * 1000) continue;
    const id = samples[i] ?? 0;
    hits.set(id, (hits.get(id) ?? 0) + 1);
    sampleCount += 1;
  }
  const totalMs = Math.max(0, (profile.endTime - profile.startTime) / 1000 - skipMs);
  const msPerSample = sampleCount > 0 ? totalMs / sampleCount : 0;
  const byFn = new Map<string, { fn: string; where: string; samples: number }>();
  for (const n of profile.nodes) {
    const count = hits.get(n.id) ?? 0;
    if (count === 0) continue;
    const fn = n.callFrame.functionName || '(anonymous)';
    const where = shortWhere(n.callFrame.url, n.callFrame.lineNumber, root);
    const key = `${fn}@${where}`;
    const row = byFn.get(key) ?? { fn, where, samples: 0 };
    row.samples += count;
    byFn.set(key, row);
  }
  const idleMs = (byFn.get('(idle)@(native)')?.samples ?? 0) * msPerSample;
  const busyMs = totalMs - idleMs;
  const rows = [...byFn.values()]
    .filter((r) => r.fn !== '(idle)')
    .sort((a, b) => b.samples - a.samples)
    .slice(0, top)
    .map((r) => ({ fn: r.fn, where: r.where, selfMs: r.samples * msPerSample, percent: busyMs > 0 ? (100 * r.samples * msPerSample) / busyMs : 0 }));
  return { rows, totalMs, idleMs };
}

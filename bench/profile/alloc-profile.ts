import { Session } from 'node:inspector';
import { handleHook } from '../../src/service/handle-hook';
import { benchBody, benchHookDeps } from '../bench-body';

/**
 * Where a hook call's garbage comes from: `npm run bench:alloc`. V8's sampling heap profiler over a few
 * thousand bench calls, counting objects that were collected again (they are what the GC pays for), and
 * bytes per call by allocating function. Garbage collection was 6-7% of the event loop under load.
 */
interface SamplingNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly SamplingNode[];
}

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? '2000');
  const { body, fhirBase } = await benchBody();
  const deps = benchHookDeps(fhirBase);
  for (let i = 0; i < 300; i += 1) await handleHook('imaging-order-sign', JSON.parse(body), {}, deps);
  // Parsed before sampling starts: the body's own objects are the ceiling's cost too, not ours.
  const inputs: unknown[] = Array.from({ length: calls }, () => JSON.parse(body));
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: object = {}): Promise<T> =>
    new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (const input of inputs) await handleHook('imaging-order-sign', input, {}, deps);
  const { profile } = await post<{ profile: { head: SamplingNode } }>('HeapProfiler.stopSampling');
  session.disconnect();
  const bytes = new Map<string, number>();
  let total = 0;
  const visit = (node: SamplingNode): void => {
    const where = node.callFrame.url.replace(/^.*?\/(src|node_modules)\//, '$1/');
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where}${where === '' ? '' : `:${node.callFrame.lineNumber + 1}`}`;
    bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  process.stdout.write(`${Math.round(total / calls)} bytes allocated per handleHook call (sampled over ${calls} calls)\n`);
  for (const [key, size] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    process.stdout.write(`${String(Math.round(size / calls)).padStart(8)}  ${key}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});

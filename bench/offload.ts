import fs from 'node:fs';
import path from 'node:path';
import { startFhirServer } from '../test/support/fhir-server';
import { benchCall } from './bench-body';
import type { RoundResult } from './report';
import { ROOT, SERVICE_ENTRY, load, log, memoryOf, post, runBounded, startServer, stop } from './servers';
import type { Started } from './servers';
import { median } from './stats';

/**
 * `npm run bench:offload -- [--rounds N] [--seconds S] [--workers 1,2]`: would taking hook calls off the
 * event loop pay? Runs the ceiling, the service and bench/offload-server.ts (an experiment: express on the
 * main thread, parse + rules + serialise in N worker threads) side by side, in alternating rounds at 10
 * connections, and prints requests/s, latency, CPU per request and peak RSS for each.
 *
 * Written on 2026-11-24 to measure the first item of "Next" in BENCHMARKS.md instead of estimating it. On a
 * machine with more cores than this one's two, the answer may differ: that is why it is a command.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const ROUNDS = Number(option('--rounds', '4'));
const SECONDS = Number(option('--seconds', '6'));
const WORKERS = option('--workers', '1,2').split(',').map(Number);
for (const [name, n, max] of [['--rounds', ROUNDS, 20], ['--seconds', SECONDS, 60], ...WORKERS.map((w) => ['--workers', w, 16] as const)] as const) {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} takes integers from 1 to ${max}`);
}
const RUN_LIMIT_MS = ((ROUNDS + 1) * (WORKERS.length + 2) * (SECONDS + 4) + 90) * 1000;
const TSX = ['--import', 'tsx'];
/** Compiled like the service (`npm run bench:offload` runs tsc -p bench/tsconfig.offload.json first). */
const OFFLOAD_ENTRY = path.join(ROOT, 'dist', 'offload', 'bench', 'offload-server.js');

interface Variant {
  readonly label: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
}

const variants: Variant[] = [
  { label: 'ceiling', args: [...TSX, path.join(ROOT, 'bench', 'ceiling-server.ts')], env: {} },
  { label: 'service', args: [SERVICE_ENTRY], env: {} },
  ...WORKERS.map((n) => ({ label: `offload, ${n} worker${n > 1 ? 's' : ''}`, args: [OFFLOAD_ENTRY], env: { HOOK_WORKERS: String(n) } })),
];

/** What a card says, without its per-call uuid: the experiment must answer what the service answers. */
const cardSummaries = (json: unknown): string[] => ((json as { cards?: { summary: string }[] }).cards ?? []).map((c) => c.summary);

async function main(): Promise<void> {
  for (const entry of [SERVICE_ENTRY, OFFLOAD_ENTRY]) {
    if (!fs.existsSync(entry)) throw new Error(`${entry} missing: run \`npm run bench:offload\`, which compiles it`);
  }
  const fhir = await startFhirServer();
  const body = JSON.stringify((await benchCall(fhir)).withPrefetch);
  const started = new Map<Variant, Started>();
  const rounds = new Map<Variant, RoundResult[]>(variants.map((v) => [v, []]));
  const peakMb = new Map<Variant, number>();
  try {
    let expected: string[] | undefined;
    for (const v of variants) {
      const s = await startServer(v.label, v.args, { ALLOWED_FHIR_SERVERS: fhir.baseUrl, LOG_LEVEL: 'warn', ...v.env });
      started.set(v, s);
      if (v.label !== 'ceiling') {
        const answer = cardSummaries((await post(s.url, body)).json);
        expected ??= answer;
        if (JSON.stringify(answer) !== JSON.stringify(expected)) throw new Error(`${v.label} answers differently from the service`);
      }
      await load(s.url, body, 10, 2); // warm-up: JIT, connections
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      // The order alternates, so that drift on the shared machine hits every variant alike.
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const s = started.get(v);
        const pid = s?.child.pid;
        if (s === undefined || pid === undefined) throw new Error(`${v.label} is not running`);
        const r = await load(s.url, body, 10, SECONDS, pid);
        rounds.get(v)?.push(r);
        peakMb.set(v, Math.max(peakMb.get(v) ?? 0, (memoryOf(pid)?.hwmKb ?? 0) / 1024));
        log(`round ${round + 1}/${ROUNDS} ${v.label}: ${r.rps.toFixed(0)} requests/s, p99 ${r.p99} ms, event loop ${r.loopUsPerRequest.toFixed(0)} µs/request`);
      }
    }
  } finally {
    for (const s of started.values()) await stop(s.child);
    await fhir.close();
  }
  const ceiling = median(rounds.get(variants[0] as Variant)?.map((r) => r.rps) ?? []);
  const lines = [
    `Offload experiment: ${ROUNDS} alternating round(s) of ${SECONDS} s at 10 connections per server (bench call, ${(Buffer.byteLength(body) / 1024).toFixed(1)} KiB); medians over rounds.`,
    '',
    '| server | requests/s | ratio to ceiling | p50 ms | p99 ms | CPU µs/request (all threads) | event loop µs/request | peak RSS MB | errors |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const v of variants) {
    const rs = rounds.get(v) ?? [];
    const rps = median(rs.map((r) => r.rps));
    lines.push(
      `| ${v.label} | ${rps.toFixed(0)} | ${(rps / ceiling).toFixed(2)} | ${median(rs.map((r) => r.p50))} | ${median(rs.map((r) => r.p99))} | ${median(rs.map((r) => r.cpuUsPerRequest)).toFixed(0)} | ${median(rs.map((r) => r.loopUsPerRequest)).toFixed(0)} | ${(peakMb.get(v) ?? 0).toFixed(1)} | ${rs.reduce((n, r) => n + r.errors, 0)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

runBounded(main, RUN_LIMIT_MS);

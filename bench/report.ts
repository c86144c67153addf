import fs from 'node:fs';
import type { SelfTimeRow } from './profile/profile-summary';
import type { StageCosts } from './stages';
import { median } from './stats';

export interface RoundResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  /** Socket errors + timeouts + non-2xx answers. */
  readonly errors: number;
  readonly total: number;
  /** Server CPU time (user + system) per request, from /proc; NaN where /proc is not available. */
  readonly cpuUsPerRequest: number;
  /** CPU time of the server's main thread (its event loop) per request; NaN where /proc is not available. */
  readonly loopUsPerRequest: number;
}

export interface LevelResult {
  readonly connections: number;
  readonly service: readonly RoundResult[];
  readonly ceiling: readonly RoundResult[];
  /** The ceiling writing the service's own answer (informational). */
  readonly answerCeiling: readonly RoundResult[];
}

export interface BenchReport {
  readonly date: string;
  readonly command: string;
  /** NODE_OPTIONS of every server the bench spawns: the image's (Dockerfile). */
  readonly nodeOptions: string;
  readonly machine: { nproc: number; cpu: string; memTotal: string; memFree: string; loadavg: string; node: string };
  readonly workload: {
    requestBytes: number;
    noPrefetchBytes: number;
    orders: readonly string[];
    recordResources: number;
    prefetchKeys: readonly string[];
    cards: readonly string[];
    services: number;
    rounds: number;
    /** Rounds at 10 connections, the level the targets are judged at. */
    targetRounds: number;
    roundSeconds: number;
  };
  readonly levels: readonly LevelResult[];
  readonly startup: { compiledMs: readonly number[]; tsxMs: number };
  readonly memory: { rssBeforeMb: number; peakRssMb: number };
  readonly noPrefetch: {
    reads: readonly string[];
    calls: number;
    errors: number;
    serviceP50: number;
    serviceP90: number;
    directP50: number;
    directP90: number;
  };
  readonly profiles: readonly { name: string; rows: readonly SelfTimeRow[]; busyMs: number }[];
  readonly stages: StageCosts;
  readonly elapsedS: number;
}

/** The service's performance targets (BENCHMARKS.md), as measured by this command. */
const TARGET = { ratioAt10: 0.7, p99At10Ms: 15, noPrefetchOverheadMs: 5, startupMs: 1000, rssMb: 200 } as const;

const f = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** A level's figure: median over rounds (the rounds alternate service/ceiling, so drift is shared). */
export function summariseLevel(l: LevelResult): { service: RoundResult; ceiling: RoundResult; answerCeiling: RoundResult; ratio: number } {
  const pick = (rs: readonly RoundResult[]): RoundResult => ({
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    mean: median(rs.map((r) => r.mean)),
    errors: sum(rs.map((r) => r.errors)),
    total: sum(rs.map((r) => r.total)),
    cpuUsPerRequest: median(rs.map((r) => r.cpuUsPerRequest)),
    loopUsPerRequest: median(rs.map((r) => r.loopUsPerRequest)),
  });
  const service = pick(l.service);
  const ceiling = pick(l.ceiling);
  return { service, ceiling, answerCeiling: pick(l.answerCeiling), ratio: service.rps / ceiling.rps };
}

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

export function renderReport(r: BenchReport): string {
  const lines: string[] = [];
  const at10 = r.levels.find((l) => l.connections === 10);
  const s10 = at10 === undefined ? undefined : summariseLevel(at10);
  const startup = median(r.startup.compiledMs);
  const overhead = r.noPrefetch.serviceP50 - r.noPrefetch.directP50;
  lines.push(`## Latest run: ${r.date}`, '');
  lines.push(`Command: \`${r.command}\` (builds, then runs \`tsx bench/run.ts\`; ${f(r.elapsedS, 0)} s).`, '');
  lines.push(
    `Machine: ${r.machine.nproc} CPUs (\`nproc\`; ${r.machine.cpu}), memory ${r.machine.memTotal} total / ${r.machine.memFree} free, ` +
      `load average ${r.machine.loadavg} at the end of the run (the machine is shared), node ${r.machine.node}.`,
    '',
  );
  lines.push('### Targets', '', '| Target | Measured | |', '|---|---|---|');
  if (s10 !== undefined) {
    lines.push(`| requests/s ratio service/ceiling >= ${TARGET.ratioAt10} at 10 connections | ${f(s10.ratio, 2)} | ${verdict(s10.ratio >= TARGET.ratioAt10)} |`);
    lines.push(`| p99 < ${TARGET.p99At10Ms} ms at 10 connections | ${s10.service.p99} ms | ${verdict(s10.service.p99 < TARGET.p99At10Ms)} |`);
    lines.push(`| no errors at 10 connections | ${s10.service.errors} | ${verdict(s10.service.errors === 0)} |`);
  }
  lines.push(
    `| no-prefetch = one parallel round of FHIR reads + < ${TARGET.noPrefetchOverheadMs} ms (p50) | ${f(r.noPrefetch.serviceP50)} ms vs ${f(r.noPrefetch.directP50)} ms: +${f(overhead)} ms | ${verdict(overhead < TARGET.noPrefetchOverheadMs && r.noPrefetch.errors === 0)} |`,
  );
  lines.push(`| start-up < ${TARGET.startupMs} ms (compiled, spawn to first 200 on /ready, median of ${r.startup.compiledMs.length}) | ${f(startup, 0)} ms | ${verdict(startup < TARGET.startupMs)} |`);
  lines.push(`| peak RSS < ${TARGET.rssMb} MB under load | ${f(r.memory.peakRssMb)} MB | ${verdict(r.memory.peakRssMb < TARGET.rssMb)} |`, '');

  lines.push('### Workload', '');
  lines.push(
    `- order-sign with ${r.workload.orders.length} draft orders: ${r.workload.orders.join('; ')}.`,
    `- Patient record on the in-process FHIR server: ${r.workload.recordResources} resources (20 active conditions, 50 lab results of which 16 renal, 3 devices, 3 allergies, a year of imaging as ImagingStudy + Procedure + completed ServiceRequest, 14 encounters, coverage).`,
    `- Prefetch computed from the service's own discovery templates against that server: ${r.workload.prefetchKeys.join(', ')}. Request body ${f(r.workload.requestBytes / 1024)} KiB (${f(r.workload.noPrefetchBytes / 1024)} KiB without prefetch).`,
    `- The service answers it with ${r.workload.cards.length} card(s): ${r.workload.cards.join(', ') || 'none'}.`,
    `- Service: \`node dist/src/main.js\` (node flags, if any, in the command above) with the image's \`NODE_OPTIONS=${r.nodeOptions}\` (Dockerfile; the ceilings run with the same), LOG_LEVEL=info, the default SQLite audit store (a fresh file in the temp folder per spawn, written by the audit worker thread). Ceiling: \`node --import tsx bench/ceiling-server.ts\` (transpiled once at load; same steady state as compiled), the same express and \`express.json\` (same limit and types), answering \`{"cards":[]}\`. Both child processes on 127.0.0.1; autocannon runs in the bench process.`,
    `- ${r.workload.rounds} alternating round(s) (${r.workload.targetRounds} at 10 connections, where the targets are judged) of ${r.workload.roundSeconds} s per connection level and server after a warm-up; figures are medians over rounds, errors summed. Server CPU counts every thread of the server process; the event loop column counts its main thread alone, which is what bounds a node server's requests/s (the rest is V8's GC helpers and, in the service, the audit writer thread). A second, informational ceiling writes the service's own answer (\`CEILING_ANSWER_FILE\`): the gap between the two ceilings is the cost of the answer's size.`,
    '',
  );

  lines.push('### Throughput and latency (prefetch path)', '');
  for (const l of r.levels) {
    const s = summariseLevel(l);
    lines.push(`#### ${l.connections} connection${l.connections === 1 ? '' : 's'}`, '');
    lines.push('| | requests/s | p50 ms | p99 ms | mean ms | errors | requests | server CPU µs/request | event loop µs/request |', '|---|---|---|---|---|---|---|---|---|');
    const row = (label: string, x: RoundResult): string =>
      `| ${label} | ${f(x.rps, 0)} | ${x.p50} | ${x.p99} | ${f(x.mean, 2)} | ${x.errors} | ${x.total} | ${f(x.cpuUsPerRequest, 0)} | ${f(x.loopUsPerRequest, 0)} |`;
    lines.push(row('service', s.service), row('ceiling', s.ceiling));
    lines.push(
      `| **ratio service/ceiling** | **${f(s.ratio, 2)}** | | | | | | ${f(s.ceiling.cpuUsPerRequest / s.service.cpuUsPerRequest, 2)} (ceiling CPU / service CPU) | ${f(s.ceiling.loopUsPerRequest / s.service.loopUsPerRequest, 2)} (ceiling / service) |`,
    );
    const a = s.answerCeiling;
    lines.push(row('*ceiling writing the service\'s answer (informational)*', a));
    lines.push(`| *ratio service/that ceiling* | ${f(s.service.rps / a.rps, 2)} | | | | | | ${f(a.cpuUsPerRequest / s.service.cpuUsPerRequest, 2)} | ${f(a.loopUsPerRequest / s.service.loopUsPerRequest, 2)} |`, '');
  }

  const st = r.stages;
  lines.push('### Where a call\'s CPU goes (in-process, one call at a time)', '');
  lines.push(
    'The same request timed inside the bench process without HTTP (median of ' + `${st.iterations} calls after a warm-up): CPU-bound and single-threaded, so less disturbed by the shared machine than the figures above.`,
    '',
    '| stage | µs per call |',
    '|---|---|',
    `| \`JSON.parse\` of the body (what the ceiling does) | ${f(st.parseUs)} |`,
    `| ajv request validation (included in handleHook) | ${f(st.validateUs)} |`,
    `| \`handleHook\`: validation, orders, record, rules, cards, the audit record (its write is off the event loop, not timed) | ${f(st.handleHookUs)} |`,
    `| \`JSON.stringify\` of the answer (${f(st.responseBytes / 1024)} KiB) | ${f(st.stringifyUs)} |`,
    `| **service work / parse** | **${f((st.handleHookUs + st.stringifyUs) / st.parseUs, 2)}** |`,
    '',
  );

  lines.push('### No-prefetch path', '');
  lines.push(
    `The same call with no prefetch: the service reads ${r.noPrefetch.reads.length} keys from the FHIR server itself (${r.noPrefetch.reads.map((q) => `\`${q.split('?')[0] ?? q}\``).join(', ')}). ` +
      `Measured interleaved with one direct parallel round of exactly those reads (plain \`fetch\` from a separate process, bench/direct-reader.ts, as the service reads from its own), ${r.noPrefetch.calls} times each, 1 at a time.`,
    '',
    '| | p50 ms | p90 ms |',
    '|---|---|---|',
    `| service call, no prefetch | ${f(r.noPrefetch.serviceP50, 2)} | ${f(r.noPrefetch.serviceP90, 2)} |`,
    `| one parallel round of the same FHIR reads | ${f(r.noPrefetch.directP50, 2)} | ${f(r.noPrefetch.directP90, 2)} |`,
    `| **service overhead** | **${f(overhead, 2)}** | ${f(r.noPrefetch.serviceP90 - r.noPrefetch.directP90, 2)} |`,
    '',
    `Errors: ${r.noPrefetch.errors}.`,
    '',
  );

  lines.push('### Start-up and memory', '');
  lines.push(
    `- Compiled service, spawn to first 200 on \`/ready\`: ${r.startup.compiledMs.map((m) => `${f(m, 0)} ms`).join(', ')} (median ${f(startup, 0)} ms).`,
    `- Via tsx (\`tsx src/main.ts\`, development only): ${f(r.startup.tsxMs, 0)} ms.`,
    `- RSS of the service: ${f(r.memory.rssBeforeMb)} MB after start-up and the first call, ${f(r.memory.peakRssMb)} MB peak (VmHWM and 100 ms VmRSS samples) through all load rounds.`,
    '',
  );

  lines.push('### CPU profile (top self time)', '');
  for (const p of r.profiles) {
    lines.push(`#### ${p.name} (${f(p.busyMs, 0)} ms on CPU)`, '');
    lines.push('| self ms | % of busy | function | where |', '|---|---|---|---|');
    for (const row of p.rows) lines.push(`| ${f(row.selfMs)} | ${f(row.percent)} | \`${row.fn}\` | ${row.where} |`);
    lines.push('');
  }
  return lines.join('\n');
}

const START = '<!-- bench:start (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated section of BENCHMARKS.md, keeping the hand-written notes around it. */
export function writeReport(file: string, r: BenchReport): string {
  const generated = renderReport(r);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const s = existing.indexOf(START);
  const e = existing.indexOf(END);
  const next =
    s >= 0 && e > s ? `${existing.slice(0, s + START.length)}\n${generated}\n${existing.slice(e)}` : `${existing.trimEnd()}\n\n${START}\n${generated}\n${END}\n`;
  fs.writeFileSync(file, next);
  return generated;
}

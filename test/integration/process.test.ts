import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

/**
 * The service as a process: start-up refuses bad configuration with a message naming it, readiness
 * follows the listener, and SIGTERM drains and exits 0.
 */
const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  const child = spawn(TSX, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PORT: '0', SQLITE_PATH: path.join(os.tmpdir(), `imaging-cds-process-${process.pid}.sqlite`), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function listeningPort(r: Running, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = r.output().split('\n').find((l) => l.includes('imaging-cds listening'));
    if (line !== undefined) return (JSON.parse(line) as { port: number }).port;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`service did not start: ${r.output()}`);
}

describe('the service process', () => {
  it('refuses to start on an invalid variable, naming it', async () => {
    const r = start({ FHIR_TIME_BUDGET_MS: 'soon' });
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(/failed to start: Invalid configuration: FHIR_TIME_BUDGET_MS must be integer/);
    expect(r.output()).not.toMatch(/\n\s+at /); // no stack trace
  }, 30_000);

  it('becomes ready, answers, and drains and exits 0 on SIGTERM', async () => {
    const r = start({ LOG_LEVEL: 'info' });
    try {
      const port = await listeningPort(r);
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(ready.status).toBe(200);
      const discovery = (await (await fetch(`http://127.0.0.1:${port}/cds-services`)).json()) as { services: unknown[] };
      expect(discovery.services).toHaveLength(2);
      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
      expect(r.output()).toMatch(/shutting down/);
      expect(r.output()).toMatch(/"msg":"stopped"/);
    } finally {
      r.child.kill('SIGKILL');
    }
  }, 30_000);
});

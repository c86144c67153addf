import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

const PROJECT_ROOT = resolve(__dirname, '../../..');
const WRITER = join(__dirname, 'fixtures', 'crash-writer.ts');

/** Runs the writer and SIGKILLs it the moment it reports STORED; resolves with how it died. */
function runAndKill(sqlitePath: string, card: string): Promise<{ signal: NodeJS.Signals | null; sawStored: boolean; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, sqlitePath, card], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let sawStored = false;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (!sawStored && stdout.split('\n').includes('STORED')) {
        sawStored = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolvePromise({ signal, sawStored, stderr }));
  });
}

describe('SQLite feedback durability', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'imaging-cds-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps feedback written just before the process is SIGKILLed', async () => {
    const sqlitePath = join(dir, 'data', 'audit.sqlite');
    const card = '5a5a5a5a-0000-4000-8000-000000000001';
    const { signal, sawStored, stderr } = await runAndKill(sqlitePath, card);
    expect(stderr).toBe('');
    expect(sawStored).toBe(true);
    expect(signal).toBe('SIGKILL');

    // Reopen as a fresh process would (WAL recovery included) and look for the row.
    const db = new Database(sqlitePath);
    try {
      const rows = db.prepare('SELECT card_uuid, outcome, unknown_card FROM feedback WHERE card_uuid = ?').all(card);
      expect(rows).toEqual([{ card_uuid: card, outcome: 'overridden', unknown_card: 0 }]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  }, 30_000);
});

import { createStore } from '../../../src/store/create-store';
import { retentionCutoff, startRetentionSchedule } from '../../../src/store/retention';
import { DEFAULT_RETENTION_DAYS, DEFAULT_SQLITE_PATH, loadStorageConfig } from '../../../src/store/storage-config';
import type { AuditStore, InvocationAudit } from '../../../src/store/types';

const SECRET = 'retention-test-patient-hash-secret';

function audit(receivedAt: string, n: number): InvocationAudit {
  return {
    serviceId: 'imaging-appropriateness',
    hook: 'order-sign',
    hookInstance: `retention-${n}`,
    receivedAt: new Date(receivedAt),
    orderCodes: [],
    cards: [],
    status: 200,
    durationMs: 1,
  };
}

describe('retention schedule', () => {
  let store: AuditStore;
  beforeEach(async () => {
    store = await createStore({ sqlitePath: ':memory:', patientHashSecret: SECRET });
  });
  afterEach(() => store.close());

  it('computes the cutoff as now minus the retention period', () => {
    expect(retentionCutoff(new Date('2026-11-23T12:00:00Z'), 30)).toEqual(new Date('2026-10-24T12:00:00Z'));
  });

  it('purges once at start-up with the configured retention, reporting counts only', async () => {
    await store.recordInvocation(audit('2025-11-23T11:59:59Z', 1)); // just older than 365 days
    await store.recordInvocation(audit('2025-11-23T12:00:01Z', 2));
    await store.recordFeedback({
      serviceId: 'imaging-appropriateness',
      receivedAt: new Date('2025-01-01T00:00:00Z'),
      items: [{ card: 'gone', outcome: 'overridden', outcomeTimestamp: '2025-01-01T00:00:00Z' }],
    });
    const purged: unknown[] = [];
    const schedule = startRetentionSchedule({
      store,
      retentionDays: 365,
      now: () => new Date('2026-11-23T12:00:00Z'),
      onPurged: (r) => purged.push(r),
      onError: (e) => purged.push(e),
    });
    await schedule.firstRun;
    schedule.stop();
    expect(purged).toEqual([{ invocations: 1, feedback: 1, cutoff: new Date('2025-11-23T12:00:00Z') }]);
  });

  it('keeps purging on the interval and reports failures instead of throwing', async () => {
    const calls: Date[] = [];
    const errors: unknown[] = [];
    const failing: AuditStore = {
      dialect: 'sqlite',
      recordInvocation: () => Promise.resolve(),
      recordInvocations: () => Promise.resolve(),
      recordFeedback: () => Promise.resolve({ stored: 0, duplicates: 0, unknownCards: 0 }),
      ruleAnalytics: () => Promise.resolve([]),
      purgeOlderThan: (cutoff) => {
        calls.push(cutoff);
        return Promise.reject(new Error('database is locked'));
      },
      close: () => Promise.resolve(),
    };
    jest.useFakeTimers({ now: new Date('2026-11-23T00:00:00Z') });
    try {
      const schedule = startRetentionSchedule({ store: failing, retentionDays: 1, intervalMs: 60_000, onError: (e) => errors.push(e) });
      await schedule.firstRun;
      await jest.advanceTimersByTimeAsync(3 * 60_000);
      schedule.stop();
      await jest.advanceTimersByTimeAsync(10 * 60_000);
    } finally {
      jest.useRealTimers();
    }
    // Start-up run plus three ticks, none after stop().
    expect(calls).toEqual([0, 1, 2, 3].map((m) => new Date(Date.UTC(2026, 10, 22, 0, m))));
    expect(errors).toHaveLength(4);
  });
});

describe('loadStorageConfig', () => {
  it('applies the documented defaults in development', () => {
    const c = loadStorageConfig({});
    expect(c).toMatchObject({ sqlitePath: DEFAULT_SQLITE_PATH, retentionDays: DEFAULT_RETENTION_DAYS });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.analyticsAdminToken).toBeUndefined();
    expect(c.warnings).toHaveLength(2);
    expect(c.patientHashSecret.length).toBeGreaterThanOrEqual(16);
  });
  it('reads every variable', () => {
    const c = loadStorageConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db/imaging',
      SQLITE_PATH: '/var/lib/imaging-cds/a.sqlite',
      PATIENT_HASH_SECRET: 'x'.repeat(32),
      ANALYTICS_ADMIN_TOKEN: 't'.repeat(32),
      RETENTION_DAYS: '30',
    });
    expect(c).toEqual({
      databaseUrl: 'postgres://app@db/imaging',
      sqlitePath: '/var/lib/imaging-cds/a.sqlite',
      patientHashSecret: 'x'.repeat(32),
      analyticsAdminToken: 't'.repeat(32),
      retentionDays: 30,
      warnings: [],
    });
  });
  it.each([
    [{ NODE_ENV: 'production' }, /PATIENT_HASH_SECRET is required/],
    [{ PATIENT_HASH_SECRET: 'short' }, /PATIENT_HASH_SECRET/],
    [{ RETENTION_DAYS: '0' }, /RETENTION_DAYS/],
    [{ RETENTION_DAYS: '12.5' }, /RETENTION_DAYS/],
    [{ ANALYTICS_ADMIN_TOKEN: 'weak' }, /ANALYTICS_ADMIN_TOKEN/],
  ])('rejects %j', (env, message) => {
    expect(() => loadStorageConfig(env)).toThrow(message);
  });
  it('never puts secret values in warnings or errors', () => {
    try {
      loadStorageConfig({ PATIENT_HASH_SECRET: 'leaky' });
    } catch (err) {
      expect(String(err)).not.toContain('leaky');
    }
  });
});

import type { Express } from 'express';
import pino from 'pino';
import { hookDeps, loadServiceParts } from '../../src/compose';
import type { ServiceParts } from '../../src/compose';
import { loadConfig } from '../../src/config';
import type { Config } from '../../src/config';
import type { FhirReaderFactory } from '../../src/fhir/fhir-reader';
import { createApp } from '../../src/http/app';
import { RULES } from '../../src/rules/catalog';
import { declaredOnly } from './declared-value-sets';
import { SqliteAuditStore } from '../../src/store/sqlite-store';
import type { AuditStore, FeedbackBatch, FeedbackResult, InvocationAudit } from '../../src/store/types';

let parts: ServiceParts | undefined;
/** Content and terminology are loaded once per test file, as at start-up. */
export function serviceParts(): ServiceParts {
  parts ??= loadServiceParts(loadConfig({}));
  return parts;
}

/**
 * Tests run on a fixed clock (the day the scenarios were written), so look-backs over dated FHIR data give
 * the same answer next year: no time bombs.
 */
export const TEST_NOW = new Date('2026-11-23T12:00:00Z');

/**
 * The real SQLite store, in memory, with a record of what the service asked it to do, so HTTP tests can
 * assert on what was stored without reaching into its tables.
 */
export class RecordingStore implements AuditStore {
  readonly dialect = 'sqlite' as const;
  readonly invocations: InvocationAudit[] = [];
  readonly feedbackResults: FeedbackResult[] = [];
  readonly inner = new SqliteAuditStore({ path: ':memory:', patientHashSecret: 'test-only-patient-hash-secret' });
  async recordInvocation(a: InvocationAudit): Promise<void> {
    this.invocations.push(a);
    await this.inner.recordInvocation(a);
  }
  async recordInvocations(batch: readonly InvocationAudit[]): Promise<void> {
    for (const a of batch) await this.recordInvocation(a);
  }
  async recordFeedback(b: FeedbackBatch): Promise<FeedbackResult> {
    const result = await this.inner.recordFeedback(b);
    this.feedbackResults.push(result);
    return result;
  }
  ruleAnalytics: AuditStore['ruleAnalytics'] = (q) => this.inner.ruleAnalytics(q);
  purgeOlderThan: AuditStore['purgeOlderThan'] = (cutoff) => this.inner.purgeOlderThan(cutoff);
  close: AuditStore['close'] = () => this.inner.close();
}

export interface TestApp {
  readonly app: Express;
  readonly store: RecordingStore;
  readonly config: Config;
}

export function createTestApp(env: Record<string, string> = {}, options: { readerFactory?: FhirReaderFactory; clock?: () => Date } = {}): TestApp {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const store = new RecordingStore();
  const log = pino({ level: 'silent' });
  const deps = hookDeps(config, serviceParts(), store, log, { clock: () => TEST_NOW, ...options });
  const app = createApp({ ...deps, ...declaredOnly(deps.terminology, deps.activeRules), config, readiness: { ready: () => true } });
  return { app, store, config };
}

/** DISABLED_RULES for a test about the data path rather than the rule catalog: only these rules run. */
export function onlyRules(...codes: string[]): Record<string, string> {
  return { DISABLED_RULES: RULES.map((r) => r.code).filter((c) => !codes.includes(c)).join(',') };
}

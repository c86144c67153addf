import type { Express } from 'express';
import pino from 'pino';
import { hookDeps, loadServiceParts } from '../../src/compose';
import type { ServiceParts } from '../../src/compose';
import { loadConfig } from '../../src/config';
import type { Config } from '../../src/config';
import type { FhirReaderFactory } from '../../src/fhir/fhir-reader';
import { createApp } from '../../src/http/app';
import { MemoryAuditStore } from '../../src/store/memory-store';

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

export interface TestApp {
  readonly app: Express;
  readonly store: MemoryAuditStore;
  readonly config: Config;
}

export function createTestApp(env: Record<string, string> = {}, options: { readerFactory?: FhirReaderFactory; clock?: () => Date } = {}): TestApp {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const store = new MemoryAuditStore();
  const log = pino({ level: 'silent' });
  const app = createApp({ ...hookDeps(config, serviceParts(), store, log, { clock: () => TEST_NOW, ...options }), config, readiness: { ready: () => true } });
  return { app, store, config };
}

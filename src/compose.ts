import path from 'node:path';
import type { FeedbackDeps } from './service/handle-feedback';
import type { HookDeps } from './service/handle-hook';
import type { Config } from './config';
import { loadContent } from './content/load-content';
import type { Content } from './content/types';
import { checkRuleValueSets } from './content/rule-value-sets';
import { fhirclientReader } from './fhir/fhir-reader';
import type { FhirReaderFactory } from './fhir/fhir-reader';
import type { Logger } from './logging';
import type { ActiveRule } from './rules/engine/evaluate';
import { RULES } from './rules/catalog';
import { fhirServerAllowList, systemLookup } from './security/fhir-trust';
import { createStore } from './store/create-store';
import type { AuditStore } from './store/types';
import { WorkerAuditWriter } from './store/worker-audit-writer';
import { WriteBehindAuditStore } from './store/write-behind-store';
import { loadTerminology } from './terminology/load-terminology';
import type { Terminology } from './terminology/types';

/** The rules this deployment runs: enabled in reviewed content and not switched off by DISABLED_RULES. */
export function activeRules(content: Content, config: Pick<Config, 'disabledRules'>): ActiveRule[] {
  const disabled = new Set(config.disabledRules);
  return RULES.flatMap((rule) => {
    const c = content.rules.get(rule.code);
    if (c === undefined || !c.enabled || disabled.has(rule.code)) return [];
    return [{ rule, parameters: c.parameters }];
  });
}

export interface ServiceParts {
  readonly content: Content;
  readonly terminology: Terminology;
}

/** Everything read from disk, once, at start-up (a broken file throws, naming file and field). */
export function loadServiceParts(config: Pick<Config, 'contentDir'>): ServiceParts {
  const content = loadContent(config.contentDir, RULES);
  const terminology = loadTerminology(config.contentDir);
  checkRuleValueSets(RULES, terminology);
  return { content, terminology };
}

export function hookDeps(
  config: Config,
  parts: ServiceParts,
  audit: AuditStore,
  log: Logger,
  options: { readerFactory?: FhirReaderFactory; clock?: () => Date } = {},
): HookDeps & FeedbackDeps {
  const active = activeRules(parts.content, config);
  return {
    content: parts.content,
    terminology: parts.terminology,
    activeRules: active,
    ruleRank: new Map(active.map((a, i) => [a.rule.code, i] as const)),
    record: {
      readerFactory: options.readerFactory ?? fhirclientReader({ allowPrivate: config.allowPrivateFhirServers, lookup: systemLookup }),
      fhirServerAllowed: fhirServerAllowList(config.allowedFhirServers),
      timeBudgetMs: config.fhirTimeBudgetMs,
      pageLimit: config.fhirPageLimit,
    },
    audit,
    clock: options.clock ?? (() => new Date()),
    log,
  };
}

/**
 * The audit store as the service runs it: the durable store (PostgreSQL when DATABASE_URL is set, else
 * SQLite) behind the write-behind buffer, so hook-call records are batched behind the answer; feedback is
 * still committed before its 200. With a SQLite file the batches are written by a worker thread on its own
 * connection, off the event loop.
 */
export async function createAuditStore(config: Pick<Config, 'storage'>, log: Logger): Promise<WriteBehindAuditStore> {
  const { storage } = config;
  const durableStore = await createStore({
    ...(storage.databaseUrl !== undefined ? { databaseUrl: storage.databaseUrl } : {}),
    sqlitePath: storage.sqlitePath,
    patientHashSecret: storage.patientHashSecret,
  });
  const sqliteFile = durableStore.dialect === 'sqlite' && storage.sqlitePath !== ':memory:';
  return new WriteBehindAuditStore(
    durableStore,
    { flushMs: 50, maxBatch: 500, maxPending: 50_000, onError: (err, dropped) => log.error({ err, dropped }, 'audit write failed') },
    sqliteFile ? new WorkerAuditWriter({ sqlitePath: path.resolve(storage.sqlitePath), patientHashSecret: storage.patientHashSecret }) : undefined,
  );
}

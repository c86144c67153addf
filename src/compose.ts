import type { FeedbackDeps } from './cds/feedback';
import type { HookDeps } from './cds/invoke';
import { normaliseBaseUrl } from './config';
import type { Config } from './config';
import { loadContent } from './content/load-content';
import type { Content } from './content/types';
import { fhirclientReaderFactory } from './fhir/fhir-reader';
import type { FhirReaderFactory } from './fhir/fhir-reader';
import type { Logger } from './logging';
import type { ActiveRule } from './rules/evaluate';
import { RULES } from './rules/registry';
import type { AuditStore } from './store/types';
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

/** Is this `fhirServer` one the service may call? Exact match on the normalised base URL. */
export function fhirServerAllowList(allowed: readonly string[]): (fhirServer: string) => boolean {
  const set = new Set(allowed);
  return (fhirServer) => {
    try {
      return set.has(normaliseBaseUrl(fhirServer));
    } catch {
      return false;
    }
  };
}

export interface ServiceParts {
  readonly content: Content;
  readonly terminology: Terminology;
}

/** Everything read from disk, once, at start-up (a broken file throws, naming file and field). */
export function loadServiceParts(config: Pick<Config, 'contentDir'>): ServiceParts {
  return { content: loadContent(config.contentDir, RULES), terminology: loadTerminology(config.contentDir) };
}

export function hookDeps(
  config: Config,
  parts: ServiceParts,
  audit: AuditStore,
  log: Logger,
  options: { readerFactory?: FhirReaderFactory; clock?: () => Date } = {},
): HookDeps & FeedbackDeps {
  return {
    content: parts.content,
    terminology: parts.terminology,
    activeRules: activeRules(parts.content, config),
    record: {
      readerFactory: options.readerFactory ?? fhirclientReaderFactory,
      fhirServerAllowed: fhirServerAllowList(config.allowedFhirServers),
      timeBudgetMs: config.fhirTimeBudgetMs,
      pageLimit: config.fhirPageLimit,
    },
    audit,
    clock: options.clock ?? (() => new Date()),
    log,
  };
}

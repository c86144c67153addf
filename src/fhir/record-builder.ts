import { setMaxListeners } from 'node:events';
import type { Bundle, FhirResource, OperationOutcome } from 'fhir/r4';
import type { HookRequest } from '../cds-hooks/types';
import { KEY_RESOURCE_TYPE } from './data-keys';
import type { DataKey } from './data-keys';
import { FhirReadError } from './fhir-reader';
import type { FhirReaderFactory } from './fhir-reader';
import { assembleRecord } from './patient-record';
import type { PatientRecord } from './patient-record';
import { renderTemplate } from '../cds-hooks/prefetch-template';
import type { UnavailableReason } from './unavailable';

export interface RecordOutcome {
  readonly record: PatientRecord;
  readonly unavailable: ReadonlyMap<DataKey, UnavailableReason>;
}

export interface RecordDeps {
  readonly readerFactory: FhirReaderFactory;
  /** Decides whether this call may use `fhirServer` (allow-list; per-client once clients are authenticated). */
  readonly fhirServerAllowed: (fhirServer: string) => boolean;
  readonly timeBudgetMs: number;
  readonly pageLimit: number;
}

/** Rejects when the budget runs out, so a reader that ignores its signal still cannot hang the call. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(new Error('aborted'));
    else signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
}

const NO_FHIR_SERVER: UnavailableReason = { kind: 'no-fhir-server' };
const NOT_ALLOWED: UnavailableReason = { kind: 'fhir-server-not-allowed' };
const TOKEN_NOT_RESOLVABLE: UnavailableReason = { kind: 'token-not-resolvable' };

const isOperationOutcome = (v: FhirResource): v is OperationOutcome => v.resourceType === 'OperationOutcome';

/**
 * A prefetch value as resources of the key's type: a resource of that type, or the entries of a Bundle
 * (OperationOutcome entries and `search.mode = outcome` dropped). `undefined` means "not usable, fetch it":
 * the key holds an OperationOutcome (the client's query failed; CDS Hooks 2.0.1 says services SHOULD check).
 */
function fromPrefetch(value: FhirResource, key: DataKey): FhirResource[] | undefined {
  if (isOperationOutcome(value)) return undefined;
  const type = KEY_RESOURCE_TYPE[key];
  if (value.resourceType === 'Bundle') {
    // One pass, one array: this runs for every prefetch key of every call.
    const resources: FhirResource[] = [];
    for (const e of (value as Bundle<FhirResource>).entry ?? []) {
      if (e.search?.mode !== 'outcome' && e.resource !== undefined && e.resource.resourceType === type) resources.push(e.resource);
    }
    return resources;
  }
  return value.resourceType === type ? [value] : [];
}

/** A prefetch template with `_count` is explicitly bounded (newest first): one page is what it asks for. */
const pagesFor = (template: string, pageLimit: number): number => (/[?&]_count=/.test(template) ? 1 : pageLimit);

/**
 * Builds the patient record for one call: prefetch first; every needed key that is missing (or holds an
 * OperationOutcome) is fetched from `fhirServer`, all in parallel, under one time budget. A `null` key
 * means "queried, nothing there" and is never re-fetched (CDS Hooks 2.0.1 section "Prefetch").
 */
export async function buildPatientRecord(
  request: HookRequest,
  templates: Readonly<Record<DataKey, string>>,
  neededKeys: ReadonlySet<DataKey>,
  deps: RecordDeps,
): Promise<RecordOutcome> {
  const slots: { [K in DataKey]?: FhirResource[] } = {};
  const available = new Set<DataKey>();
  const unavailable = new Map<DataKey, UnavailableReason>();
  const toFetch: DataKey[] = [];

  for (const key of neededKeys) {
    const value = request.prefetch?.[key];
    if (value === null) {
      slots[key] = [];
      available.add(key);
      continue;
    }
    const resources = value === undefined ? undefined : fromPrefetch(value, key);
    if (resources !== undefined) {
      slots[key] = resources;
      available.add(key);
    } else {
      toFetch.push(key);
    }
  }

  if (toFetch.length > 0) {
    const server = request.fhirServer;
    if (server === undefined) {
      for (const key of toFetch) unavailable.set(key, NO_FHIR_SERVER);
    } else if (!deps.fhirServerAllowed(server)) {
      for (const key of toFetch) unavailable.set(key, NOT_ALLOWED);
    } else {
      const reader = deps.readerFactory(server, request.fhirAuthorization);
      const controller = new AbortController();
      // One signal is shared by every read of the call (11 keys, each with its own listeners): not a leak.
      setMaxListeners(64, controller.signal);
      const timer = setTimeout(() => controller.abort(), deps.timeBudgetMs);
      const budget = whenAborted(controller.signal);
      budget.catch(() => undefined);
      try {
        await Promise.all(
          toFetch.map(async (key) => {
            const url = renderTemplate(templates[key], request.context);
            if (url === undefined) {
              unavailable.set(key, TOKEN_NOT_RESOLVABLE);
              return;
            }
            try {
              const resources = await Promise.race([
                reader.read(url, { signal: controller.signal, pageLimit: pagesFor(templates[key], deps.pageLimit) }),
                budget,
              ]);
              // The reader returns only resources of the type the template asks for, which is the key's type
              // (checked at start-up); an answer of any other kind is a failed read.
              slots[key] = resources;
              available.add(key);
            } catch (e) {
              unavailable.set(
                key,
                controller.signal.aborted
                  ? { kind: 'timed-out', afterMs: deps.timeBudgetMs }
                  : { kind: 'read-failed', failure: e instanceof FhirReadError ? e.failure : { kind: 'other' } },
              );
            }
          }),
        );
      } finally {
        clearTimeout(timer);
      }
    }
  }
  return { record: assembleRecord(slots, available), unavailable };
}

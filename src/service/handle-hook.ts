import { buildCards } from '../cards/build-cards';
import type { CallCards } from '../cards/build-cards';
import type { Content } from '../content/types';
import { notFound, preconditionFailed } from '../errors';
import type { IssueInput } from '../errors';
import { KEY_LABEL } from '../fhir/data-keys';
import { EMPTY_RECORD } from '../fhir/patient-record';
import { buildPatientRecord } from '../fhir/record-builder';
import type { RecordDeps, RecordOutcome } from '../fhir/record-builder';
import { describeUnavailable } from '../fhir/unavailable';
import type { Logger } from '../logging';
import { readImagingOrders } from '../orders/imaging-order';
import type { ImagingOrder } from '../orders/imaging-order';
import { createRuleContext } from '../rules/engine/context';
import { applicableRules, evaluateRules, keysNeeded } from '../rules/engine/evaluate';
import type { ActiveRule, RuleFailure } from '../rules/engine/evaluate';
import { fhirServerAllowList } from '../security/fhir-trust';
import type { Caller } from '../security/caller';
import type { AuditSink } from '../store/types';
import type { Terminology } from '../terminology/types';
import { parseHookRequest } from '../cds-hooks/parse-request';
import { readClientConfiguration } from './client-configuration';
import { checkRequestSemantics } from '../cds-hooks/request-checks';
import type { HookRequest, HookResponse } from '../cds-hooks/types';

export interface HookDeps {
  readonly content: Content;
  readonly terminology: Terminology;
  readonly activeRules: readonly ActiveRule[];
  /** Each active rule's place in the catalog, the order cards of one severity are shown in (built at start-up). */
  readonly ruleRank: ReadonlyMap<string, number>;
  readonly record: RecordDeps;
  readonly audit: AuditSink;
  readonly clock: () => Date;
  readonly log: Logger;
}

/**
 * A rule that threw, logged so it can be diagnosed: rule code, error name, message and stack. Only the
 * error is logged, never the orders or the record it was judging (the logger masks secrets in the text).
 */
function logRuleFailure(log: Logger, hookInstance: string, failure: RuleFailure): void {
  const { error } = failure;
  const fields =
    error instanceof Error
      ? { errorName: error.name, errorMessage: error.message, stack: error.stack }
      : { errorName: typeof error, errorMessage: String(error) };
  log.error({ hookInstance, rule: failure.rule, ...fields }, 'rule failed');
}

/** What one call answers: cards (with their audit rows), or a 412 when none of the data it needs could be had. */
type CallResult = ({ readonly status: 200 } & CallCards) | { readonly status: 412; readonly issues: readonly IssueInput[] };

/** No rule applies: nothing is read and nothing is missing. */
const NOTHING_READ: RecordOutcome = { record: EMPTY_RECORD, unavailable: new Map() };

/** One 412 issue per key that could not be had, naming the key and why (CDS Hooks 2.0.1 "Prefetch"). */
function missingDataIssues(unavailable: RecordOutcome['unavailable']): IssueInput[] {
  return [...unavailable].map(([key, reason]) => ({
    diagnostics: `prefetch.${key} (${KEY_LABEL[key]}) is needed to check the imaging orders, but it is not in prefetch and ${describeUnavailable(reason)}`,
    expression: `prefetch.${key}`,
  }));
}

/** The caller's own FHIR servers, when its registration lists them, take the place of the service's allow-list. */
const recordDepsFor = (caller: Caller, record: RecordDeps): RecordDeps =>
  caller.fhirServers === undefined ? record : { ...record, fhirServerAllowed: fhirServerAllowList(caller.fhirServers) };

/** The rules on the record, then the cards of their findings; a rule that threw is logged here. */
function evaluateCall(
  deps: HookDeps,
  call: {
    readonly request: HookRequest;
    readonly orders: readonly ImagingOrder[];
    readonly targets: readonly ImagingOrder[];
    readonly rules: readonly ActiveRule[];
    readonly outcome: RecordOutcome;
    readonly now: Date;
    readonly maxCards: number | undefined;
  },
): CallCards {
  const { request, orders, targets, outcome } = call;
  const evaluation = evaluateRules(call.rules, createRuleContext({
    orders,
    targets,
    record: outcome.record,
    terminology: deps.terminology,
    now: call.now,
    ...(request.context.encounterId !== undefined ? { encounterId: request.context.encounterId } : {}),
  }));
  for (const failure of evaluation.failed) logRuleFailure(deps.log, request.hookInstance, failure);
  return buildCards(evaluation, targets, outcome.unavailable, deps.content, deps.ruleRank, call.maxCards);
}

/**
 * One hook call, transport-free (as medplum's FhirRouter handlers are): request -> validated request ->
 * imaging orders -> applicable rules -> patient record -> findings -> cards and their audit rows -> one
 * invocation row, for a 200 and a 412 alike. Throws OutcomeError for 4xx/412.
 */
export async function handleHook(serviceId: string, body: unknown, caller: Caller, deps: HookDeps): Promise<HookResponse> {
  const started = deps.clock();
  const service = deps.content.services.get(serviceId);
  if (service === undefined) throw notFound(`No CDS Service with id "${serviceId}" (see GET /cds-services)`);
  const request: HookRequest = parseHookRequest(body);
  checkRequestSemantics(request, service.hook);
  const now = deps.clock();
  const orders = readImagingOrders(request.context, deps.terminology);
  const targets = orders.filter((o) => o.isTarget);
  // Rules whose card type the client switched off are not run at all (nothing to read for them either).
  const clientConfig = readClientConfiguration(request);
  const wanted =
    clientConfig.offCardTypes.size === 0
      ? deps.activeRules
      : deps.activeRules.filter((a) => !clientConfig.offCardTypes.has(deps.content.rules.get(a.rule.code)?.crdType ?? ''));
  const rules = applicableRules(wanted, targets);
  const needed = keysNeeded(rules);

  const outcome = rules.length === 0 ? NOTHING_READ : await buildPatientRecord(request, service.prefetch, needed, recordDepsFor(caller, deps.record));
  if (outcome.unavailable.size > 0) {
    deps.log.warn({ hookInstance: request.hookInstance, unavailable: Object.fromEntries(outcome.unavailable) }, 'record incomplete');
  }

  const result: CallResult =
    needed.size > 0 && outcome.record.available.size === 0
      ? { status: 412, issues: missingDataIssues(outcome.unavailable) }
      : { status: 200, ...evaluateCall(deps, { request, orders, targets, rules, outcome, now, maxCards: clientConfig.maxCards }) };

  // Written behind the answer: a failing audit store is logged, never turned into a failed hook call.
  void deps.audit
    .recordInvocation({
      serviceId,
      hook: request.hook,
      hookInstance: request.hookInstance,
      receivedAt: started,
      ...(caller.iss !== undefined ? { clientIss: caller.iss } : {}),
      ...(caller.tenant !== undefined ? { tenant: caller.tenant } : {}),
      patientId: request.context.patientId,
      orderCodes: orders.map((o) => o.study.code),
      cards: result.status === 200 ? result.audit : [],
      status: result.status,
      durationMs: deps.clock().getTime() - started.getTime(),
    })
    .catch((e: unknown) => deps.log.error({ err: e, hookInstance: request.hookInstance }, 'audit record failed'));

  if (result.status === 412) throw preconditionFailed(result.issues);
  return request.hook === 'order-sign' ? { cards: result.cards, systemActions: [] } : { cards: result.cards };
}

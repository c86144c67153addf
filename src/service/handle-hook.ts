import { buildCards } from '../cards/build-cards';
import type { Content } from '../content/types';
import { notFound, preconditionFailed } from '../errors';
import type { IssueInput } from '../errors';
import { KEY_LABEL } from '../fhir/data-keys';
import type { PatientRecord } from '../fhir/patient-record';
import { EMPTY_RECORD } from '../fhir/patient-record';
import { buildPatientRecord } from '../fhir/record-builder';
import type { RecordDeps, RecordOutcome } from '../fhir/record-builder';
import { describeUnavailable } from '../fhir/unavailable';
import type { Logger } from '../logging';
import { readImagingOrders } from '../orders/imaging-order';
import { createRuleContext } from '../rules/engine/context';
import { applicableRules, evaluateRules, keysNeeded } from '../rules/engine/evaluate';
import type { ActiveRule, RuleFailure } from '../rules/engine/evaluate';
import { fhirServerAllowList } from '../security/fhir-trust';
import type { Caller } from '../security/caller';
import type { AuditSink, CardAudit } from '../store/types';

import type { Terminology } from '../terminology/types';
import { parseHookRequest } from '../cds-hooks/parse-request';
import { readClientConfiguration } from './client-configuration';
import { checkRequestSemantics } from '../cds-hooks/request-checks';
import type { Card, HookRequest, HookResponse } from '../cds-hooks/types';

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

function cardAudit(card: Card, codeOf: (reference: string) => string | undefined): CardAudit {
  const ext = card.extension['imaging-cds'];
  return {
    uuid: card.uuid,
    rule: ext.rule,
    indicator: card.indicator,
    orders: [...ext.orders],
    suggestions: (card.suggestions ?? []).map((s) => {
      const action = s.actions?.[0];
      const target = action?.type === 'update' ? `ServiceRequest/${action.resource?.id ?? ''}` : action?.resourceId;
      const fromCode = target === undefined ? undefined : codeOf(target);
      const toCode = action?.type === 'update' && action.resource?.resourceType === 'ServiceRequest' ? action.resource.code?.coding?.[0]?.code : undefined;
      return { uuid: s.uuid, label: s.label, ...(fromCode !== undefined ? { fromCode } : {}), ...(toCode !== undefined ? { toCode } : {}) };
    }),
  };
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

/**
 * One hook call, transport-free (model-codebases.md section 4 item 1): request -> validated request ->
 * imaging orders -> patient record -> rules -> findings -> cards. Throws OutcomeError for 4xx/412.
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

  let record: PatientRecord = EMPTY_RECORD;
  let unavailable: RecordOutcome['unavailable'] = new Map();
  let status = 200;
  const audit = (cards: readonly Card[]): void => {
    const codes = new Map(orders.map((o) => [o.reference, o.study.code] as const));
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
        cards: cards.map((c) => cardAudit(c, (ref) => codes.get(ref))),
        status,
        durationMs: deps.clock().getTime() - started.getTime(),
      })
      .catch((e: unknown) => deps.log.error({ err: e, hookInstance: request.hookInstance }, 'audit record failed'));
  };

  if (targets.length > 0 && rules.length > 0) {
    const recordDeps = caller.fhirServers === undefined ? deps.record : { ...deps.record, fhirServerAllowed: fhirServerAllowList(caller.fhirServers) };
    const outcome = await buildPatientRecord(request, service.prefetch, needed, recordDeps);
    record = outcome.record;
    unavailable = outcome.unavailable;
    if (outcome.unavailable.size > 0) {
      deps.log.warn({ hookInstance: request.hookInstance, unavailable: Object.fromEntries(outcome.unavailable) }, 'record incomplete');
    }
    if (needed.size > 0 && record.available.size === 0) {
      status = 412;
      audit([]);
      const issues: IssueInput[] = [...outcome.unavailable].map(([key, reason]) => ({
        diagnostics: `prefetch.${key} (${KEY_LABEL[key]}) is needed to check the imaging orders, but it is not in prefetch and ${describeUnavailable(reason)}`,
        expression: `prefetch.${key}`,
      }));
      throw preconditionFailed(issues);
    }
  }

  const evaluation = evaluateRules(rules, createRuleContext({
    orders,
    targets,
    record,
    terminology: deps.terminology,
    now,
    ...(request.context.encounterId !== undefined ? { encounterId: request.context.encounterId } : {}),
  }));
  for (const failure of evaluation.failed) logRuleFailure(deps.log, request.hookInstance, failure);
  const cards = buildCards(evaluation, targets, unavailable, deps.content, deps.ruleRank, clientConfig.maxCards);
  audit(cards);
  return request.hook === 'order-sign' ? { cards, systemActions: [] } : { cards };
}

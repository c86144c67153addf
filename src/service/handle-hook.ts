import { buildCards } from '../cards/build-cards';
import type { Content } from '../content/types';
import { notFound, preconditionFailed } from '../errors';
import type { IssueInput } from '../errors';
import { KEY_LABEL } from '../fhir/data-keys';
import type { PatientRecord } from '../fhir/patient-record';
import { EMPTY_RECORD } from '../fhir/patient-record';
import { buildPatientRecord } from '../fhir/record-builder';
import type { RecordDeps, UnavailableReason } from '../fhir/record-builder';
import type { Logger } from '../logging';
import { readImagingOrders } from '../orders/imaging-order';
import { createRuleContext } from '../rules/engine/context';
import { applicableRules, evaluateRules, keysNeeded } from '../rules/engine/evaluate';
import type { ActiveRule } from '../rules/engine/evaluate';
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

const REASON_TEXT: Readonly<Record<UnavailableReason, string>> = {
  'no-fhir-server': 'it is not in prefetch and the request has no fhirServer',
  'fhir-server-not-allowed': 'it is not in prefetch and fhirServer is not on the allow-list of this service',
  'token-not-resolvable': 'its prefetch template needs a context value this request does not carry',
  'fetch-failed': 'it is not in prefetch and the FHIR server returned an error',
  'timed-out': 'it is not in prefetch and the FHIR server did not answer within the time budget',
};

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
 * One hook call, transport-free (routes only translate HTTP): request -> validated request ->
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
    if (outcome.unavailable.size > 0) {
      deps.log.warn({ hookInstance: request.hookInstance, unavailable: Object.fromEntries(outcome.unavailable) }, 'record incomplete');
    }
    if (needed.size > 0 && record.available.size === 0) {
      status = 412;
      audit([]);
      const issues: IssueInput[] = [...outcome.unavailable].map(([key, reason]) => ({
        diagnostics: `prefetch.${key} (${KEY_LABEL[key]}) is needed to check the imaging orders, but ${REASON_TEXT[reason]}`,
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
  for (const rule of evaluation.failed) deps.log.error({ hookInstance: request.hookInstance, rule }, 'rule failed');
  const cards = buildCards(evaluation, targets, deps.content, deps.ruleRank, clientConfig.maxCards);
  audit(cards);
  return request.hook === 'order-sign' ? { cards, systemActions: [] } : { cards };
}

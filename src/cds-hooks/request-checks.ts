import type { IssueInput } from '../errors';
import { badRequest } from '../errors';
import type { HookRequest } from './types';

/**
 * Contract checks a schema cannot express: the hook must be the service's hook, and every selection
 * must point at a resource inside draftOrders (order-select: "references to the newly selected orders
 * inside draftOrders").
 */
export function checkRequestSemantics(request: HookRequest, serviceHook: string): void {
  const issues: IssueInput[] = [];
  if (request.hook !== serviceHook) {
    issues.push({ diagnostics: `hook is "${request.hook}" but this service answers "${serviceHook}"`, expression: 'hook' });
  }
  const inDraft = new Set(
    (request.context.draftOrders.entry ?? [])
      .map((e) => e.resource)
      .filter((r) => r?.id !== undefined)
      .map((r) => `${r?.resourceType ?? ''}/${r?.id ?? ''}`),
  );
  (request.context.selections ?? []).forEach((selection, i) => {
    if (!inDraft.has(selection)) {
      issues.push({ diagnostics: `context.selections[${i}] (${selection}) is not a resource in context.draftOrders`, expression: `context.selections[${i}]` });
    }
  });
  if (issues.length > 0) throw badRequest(issues);
}

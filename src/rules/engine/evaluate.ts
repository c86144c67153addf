import type { DataKey } from '../../fhir/data-keys';
import type { ImagingOrder } from '../../orders/imaging-order';
import type { Finding, Rule, RuleContext } from './types';

/** A rule switched on for this deployment, with its reviewed parameters. */
export interface ActiveRule {
  readonly rule: Rule;
  readonly parameters: object;
}

/** The rules that could say something about these orders: only their record keys are read. */
export function applicableRules(active: readonly ActiveRule[], orders: readonly ImagingOrder[]): ActiveRule[] {
  return active.filter((a) => orders.some((o) => a.rule.relevant(o)));
}

export function keysNeeded(rules: readonly ActiveRule[]): Set<DataKey> {
  const keys = new Set<DataKey>();
  for (const { rule } of rules) {
    for (const k of rule.requires) keys.add(k);
    for (const k of rule.optional ?? []) keys.add(k);
  }
  return keys;
}

export interface Evaluation {
  readonly findings: readonly Finding[];
  /** Rules that could not run because a record key they require was unavailable. */
  readonly notRun: readonly { readonly rule: string; readonly missing: readonly DataKey[] }[];
  /** Rules that threw: reported as not run, never as a 500 (partial failure is data, as in fqm-execution). */
  readonly failed: readonly string[];
}

/** The targets a rule said are relevant: a plain loop, run once per rule per call. */
function relevantTargets(rule: Rule, targets: readonly ImagingOrder[]): ImagingOrder[] {
  const out: ImagingOrder[] = [];
  for (const order of targets) if (rule.relevant(order)) out.push(order);
  return out;
}

export function evaluateRules(rules: readonly ActiveRule[], ctx: RuleContext): Evaluation {
  const findings: Finding[] = [];
  const notRun: { rule: string; missing: DataKey[] }[] = [];
  const failed: string[] = [];
  for (const { rule, parameters } of rules) {
    const targets = relevantTargets(rule, ctx.targets);
    if (targets.length === 0) continue;
    const missing = rule.requires.filter((k) => !ctx.record.available.has(k));
    if (missing.length > 0) {
      notRun.push({ rule: rule.code, missing });
      continue;
    }
    try {
      findings.push(...rule.evaluate(ctx, parameters, targets));
    } catch {
      failed.push(rule.code);
    }
  }
  return { findings, notRun, failed };
}

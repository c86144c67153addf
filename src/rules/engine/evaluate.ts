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

/** A rule that threw, with what it threw and the orders it was judging. */
export interface RuleFailure {
  readonly rule: string;
  readonly orders: readonly ImagingOrder[];
  readonly error: unknown;
}

export interface Evaluation {
  readonly findings: readonly Finding[];
  /** Rules that could not run because a record key they require was unavailable. */
  readonly notRun: readonly { readonly rule: string; readonly missing: readonly DataKey[] }[];
  /**
   * Rules that threw: reported on the card as checks that gave no result, never as a 500 and never as
   * silence (partial failure is data, as in fqm-execution); the error is kept for the log.
   */
  readonly failed: readonly RuleFailure[];
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
  const failed: RuleFailure[] = [];
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
    } catch (error) {
      failed.push({ rule: rule.code, orders: targets, error });
    }
  }
  return { findings, notRun, failed };
}

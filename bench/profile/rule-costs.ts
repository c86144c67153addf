import { performance } from 'node:perf_hooks';
import { buildCards } from '../../src/cards/build-cards';
import { buildPatientRecord } from '../../src/fhir/record-builder';
import { readImagingOrders } from '../../src/orders/imaging-order';
import { createRuleContext } from '../../src/rules/engine/context';
import { applicableRules, evaluateRules, keysNeeded } from '../../src/rules/engine/evaluate';
import type { RuleContext } from '../../src/rules/engine/types';
import { parseHookRequest } from '../../src/cds-hooks/parse-request';
import { benchBody, benchHookDeps } from '../bench-body';
import { median } from '../stats';

/**
 * Per-rule cost of the bench call, in-process: `npm run bench:rules -- [rounds]`. Each sample parses a
 * fresh body and times one rule's `evaluate` on the full context, then the cards of all findings; median
 * µs per rule, most expensive first. Cold by default (the rule pays for the first look at each record
 * entry); `WARM=1` runs all rules on the context first, so the context's memo (prior imaging) is filled and
 * each figure is the rule's own share of a call.
 */
async function main(): Promise<void> {
  const { body, fhirBase } = await benchBody();
  const deps = benchHookDeps(fhirBase);
  const service = deps.content.services.get('imaging-order-sign');
  if (service === undefined) throw new Error('no order-sign service');
  const fresh = async (): Promise<RuleContext> => {
    const request = parseHookRequest(JSON.parse(body));
    const orders = readImagingOrders(request.context, deps.terminology);
    const targets = orders.filter((o) => o.isTarget);
    const outcome = await buildPatientRecord(request, service.prefetch, keysNeeded(applicableRules(deps.activeRules, targets)), deps.record);
    return createRuleContext({ orders, targets, record: outcome.record, terminology: deps.terminology, now: new Date() });
  };
  const rules = applicableRules(deps.activeRules, (await fresh()).targets);
  const samples = new Map<string, number[]>(rules.map((r) => [r.rule.code, []]));
  const cards: number[] = [];
  const rounds = Number(process.argv[2] ?? '600');
  for (let round = 0; round < rounds; round += 1) {
    for (const active of rules) {
      const ctx = await fresh();
      if (process.env['WARM'] !== undefined) evaluateRules(rules, ctx);
      const targets = ctx.targets.filter((o) => active.rule.relevant(o));
      const t = performance.now();
      active.rule.evaluate(ctx, active.parameters, targets);
      samples.get(active.rule.code)?.push((performance.now() - t) * 1000);
    }
    const ctx = await fresh();
    const evaluation = evaluateRules(rules, ctx);
    const t = performance.now();
    buildCards(evaluation, ctx.targets, new Map(), deps.content, deps.ruleRank);
    cards.push((performance.now() - t) * 1000);
  }
  const rows = [...samples].map(([code, xs]) => [code, median(xs.slice(rounds / 3))] as const).sort((a, b) => b[1] - a[1]);
  let total = 0;
  for (const [code, us] of rows) {
    total += us;
    process.stdout.write(`${us.toFixed(1).padStart(8)} µs  ${code}\n`);
  }
  process.stdout.write(`${total.toFixed(1).padStart(8)} µs  all ${rows.length} rules (sum of medians)\n${median(cards.slice(rounds / 3)).toFixed(1).padStart(8)} µs  buildCards\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});

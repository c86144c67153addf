import type { Rule } from '../../src/rules/engine/types';
import type { ActiveRule } from '../../src/rules/engine/evaluate';
import type { Terminology } from '../../src/terminology/types';

/**
 * Holds every rule to its `valueSets` declaration while the test suites run: the start-up check trusts the
 * declaration, so a value set a rule asks about without declaring it is reported here (and thrown, so the
 * rule fails loudly in the call too). Rules run one at a time and synchronously, so the rule that is
 * asking is the one being evaluated.
 */
const undeclared = new Set<string>();
let running: Rule | undefined;

function check(id: string): void {
  if (running !== undefined && !running.valueSets.includes(id)) {
    undeclared.add(`${running.code} asks for value set ${id} without declaring it`);
    throw new Error(`${running.code} asks for value set ${id} without declaring it`);
  }
}

export function declaredOnly(terminology: Terminology, rules: readonly ActiveRule[]): { terminology: Terminology; activeRules: ActiveRule[] } {
  return {
    terminology: {
      ...terminology,
      inValueSet: (coding, id) => {
        check(id);
        return terminology.inValueSet(coding, id);
      },
      matchConcept: (concept, id) => {
        check(id);
        return terminology.matchConcept(concept, id);
      },
    },
    activeRules: rules.map(({ rule, parameters }) => ({
      parameters,
      rule: {
        ...rule,
        evaluate(ctx, p, targets) {
          running = rule;
          try {
            return rule.evaluate(ctx, p, targets);
          } finally {
            running = undefined;
          }
        },
      },
    })),
  };
}

/** The undeclared value-set uses seen since the last look (empty when every rule keeps to its declaration). */
export function undeclaredValueSets(): string[] {
  const seen = [...undeclared];
  undeclared.clear();
  return seen;
}

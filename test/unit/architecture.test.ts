import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The one direction of data (docs/architecture.md): rules know nothing of express or HTTP, the HTTP layer
 * knows nothing of clinical logic, only src/config.ts reads process.env, imports point down the layer
 * order, and no module imports itself back through a chain (type-only imports included).
 */
const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const ESLINT = path.join(ROOT, 'node_modules', '.bin', 'eslint');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return filesUnder(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier of a file: static imports and re-exports, value or type. */
function specifiersOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/^import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

/** A relative specifier resolved to the repository file it names (extensionless, folder index). */
function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [base, `${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c) && fs.statSync(c).isFile() && c.endsWith('.ts'));
}

const rel = (file: string): string => path.relative(SRC, file).split(path.sep).join('/');
const topFolder = (file: string): string => rel(file).split('/')[0] ?? '';

/** Strongly connected components of more than one module (Tarjan): each is an import cycle. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, indexOf.get(w) ?? 0));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.map(rel).sort());
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return cycles;
}

interface LintMessage {
  readonly line: number;
  readonly ruleId: string | null;
  readonly message: string;
}

/** Lints one made-up module as if it lived at `filePath`, with the repository's own ESLint configuration. */
function lintAs(filePath: string, source: string): string[] {
  const result = spawnSync(ESLINT, ['--stdin', '--stdin-filename', filePath, '--format', 'json'], { cwd: ROOT, input: source, encoding: 'utf8' });
  const report = JSON.parse(result.stdout) as { messages: LintMessage[] }[];
  return report.flatMap((r) => r.messages).map((m) => `${m.line} ${m.ruleId ?? ''}: ${m.message}`);
}

describe('architecture', () => {
  const files = filesUnder(SRC);
  const imports = new Map(files.map((f) => [f, specifiersOf(f)] as const));

  it.each(['rules', 'cards', 'terminology', 'orders'])('src/%s is pure: no express, HTTP, fhirclient, database or filesystem', (dir) => {
    const offending = files
      .filter((f) => topFolder(f) === dir && !path.basename(f).startsWith('load-'))
      .flatMap((f) =>
        (imports.get(f) ?? [])
          .filter((spec) => /^(express|cors|fhirclient|pg|better-sqlite3|node:http|node:fs|http|fs)$/.test(spec) || (resolveLocal(f, spec) !== undefined && topFolder(resolveLocal(f, spec) ?? '') === 'http'))
          .map((spec) => `${rel(f)} -> ${spec}`),
      );
    expect(offending).toEqual([]);
  });

  it('src/http knows nothing of clinical logic (no rules, cards, terminology, orders or record reading)', () => {
    const offending = files
      .filter((f) => topFolder(f) === 'http')
      .flatMap((f) => (imports.get(f) ?? []).map((spec) => resolveLocal(f, spec)).filter((t): t is string => t !== undefined && ['rules', 'cards', 'terminology', 'orders', 'fhir'].includes(topFolder(t))).map((t) => `${rel(f)} -> ${rel(t)}`));
    expect(offending).toEqual([]);
  });

  it('only src/config.ts and the entry points read process.env', () => {
    const readers = files.filter((f) => /process\.env/.test(fs.readFileSync(f, 'utf8'))).map(rel).sort();
    expect(readers.filter((r) => !['config.ts', 'main.ts', 'cli/validate-content.ts'].includes(r))).toEqual([]);
  });

  it('has no import cycles, counting type-only imports', () => {
    const graph = new Map(files.map((f) => [f, (imports.get(f) ?? []).map((spec) => resolveLocal(f, spec)).filter((t): t is string => t !== undefined)] as const));
    expect(importCycles(graph)).toEqual([]);
  });

  it('the lint step refuses an import that points up the layer order, and accepts one that points down', () => {
    const upward = lintAs('src/rules/engine/probe.ts', "import type { Card } from '../../cds-hooks/types';\nimport { handleHook } from '../../service/handle-hook';\nexport const probe: unknown = [handleHook, {} as Card];\n");
    expect(upward).toEqual([expect.stringMatching(/^2 import-x\/no-restricted-paths: .*src\/rules\/engine sits below these modules/)]);
  });

  it('the lint step refuses a type-only import that points up the layer order', () => {
    const upward = lintAs('src/fhir/probe.ts', "import type { RuleContext } from '../rules/engine/types';\nexport type Probe = RuleContext;\n");
    expect(upward).toEqual([expect.stringMatching(/^1 import-x\/no-restricted-paths: .*src\/fhir sits below these modules/)]);
  });
});

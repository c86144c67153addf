import fs from 'node:fs';
import path from 'node:path';

/**
 * The one direction of data (engineering standards): rules know nothing of express or HTTP, the HTTP layer
 * knows nothing of clinical logic, and only src/config.ts reads process.env. Checked on the import graph.
 */
const SRC = path.join(__dirname, '..', '..', 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => {
    const spec = m[1] ?? '';
    return spec.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), spec)) : spec;
  });
}

const layer = (rel: string): string => rel.split(path.sep)[0] ?? rel;

describe('architecture', () => {
  const files = filesUnder(SRC).map((f) => ({ rel: path.relative(SRC, f), imports: importsOf(f) }));

  it.each(['rules', 'cards', 'terminology', 'orders'])('src/%s is pure: no express, HTTP, fhirclient, database or filesystem', (dir) => {
    const offending = files
      .filter((f) => layer(f.rel) === dir && !f.rel.includes('load-'))
      .flatMap((f) => f.imports.filter((i) => /^(express|cors|fhirclient|pg|better-sqlite3|node:http|node:fs|http|fs)$/.test(i) || layer(i) === 'http').map((i) => `${f.rel} -> ${i}`));
    expect(offending).toEqual([]);
  });

  it('src/http knows nothing of clinical logic (no rules, cards, terminology or record reading)', () => {
    const offending = files
      .filter((f) => layer(f.rel) === 'http')
      .flatMap((f) => f.imports.filter((i) => ['rules', 'cards', 'terminology', 'orders', 'fhir'].includes(layer(i))).map((i) => `${f.rel} -> ${i}`));
    expect(offending).toEqual([]);
  });

  it('only src/config.ts and the composition root read process.env', () => {
    const readers = filesUnder(SRC)
      .filter((f) => /process\.env/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f))
      .sort();
    expect(readers.every((r) => ['config.ts', 'main.ts', path.join('cli', 'validate-content.ts')].includes(r))).toBe(true);
  });
});

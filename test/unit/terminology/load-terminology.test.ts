import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TerminologyContentError, loadTerminology, toJsonPath } from '../../../src/terminology/load-terminology';
import { ROOT } from './helpers';

/** A throw-away copy of the terminology content that a test may break. */
function copyContent(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imaging-cds-terminology-'));
  for (const sub of ['cds-services/terminology', 'cds-services/schemas', 'fhir-profiles']) {
    fs.cpSync(path.join(ROOT, sub), path.join(dir, sub), { recursive: true });
  }
  return dir;
}

function editJson(dir: string, file: string, edit: (data: Record<string, unknown>) => void): void {
  const p = path.join(dir, file);
  const data = JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>;
  edit(data);
  fs.writeFileSync(p, JSON.stringify(data));
}

const CATALOG = path.join('cds-services', 'terminology', 'imaging-catalog.json');
type Rows = Record<string, unknown>[];

describe('loadTerminology', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = copyContent();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('loads the committed content', () => {
    const t = loadTerminology(ROOT);
    expect(t.study('70553')?.modality).toBe('MRI');
    expect(t.valueSetIds().length).toBeGreaterThanOrEqual(29);
  });

  it('names the file and the JSON path of a bad enum value in the catalog', () => {
    const dir = fresh();
    editJson(dir, CATALOG, (d) => {
      ((d.studies as Rows)[3] as Record<string, unknown>).contrast = 'double';
    });
    expect(() => loadTerminology(dir)).toThrow(TerminologyContentError);
    expect(() => loadTerminology(dir)).toThrow(/imaging-catalog\.json: \$\.studies\[3\]\.contrast: must be one of/);
  });

  it('names a missing required field', () => {
    const dir = fresh();
    editJson(dir, CATALOG, (d) => {
      delete ((d.studies as Rows)[10] as Record<string, unknown>).label;
    });
    expect(() => loadTerminology(dir)).toThrow(/imaging-catalog\.json: \$\.studies\[10\]\.label: is required/);
  });

  it('rejects a CTA marked without-and-with (never double contrast)', () => {
    const dir = fresh();
    editJson(dir, CATALOG, (d) => {
      const cta = (d.studies as Rows).findIndex((s) => s.code === '71275');
      ((d.studies as Rows)[cta] as Record<string, unknown>).contrast = 'without-and-with';
    });
    expect(() => loadTerminology(dir)).toThrow(/\$\.studies\[\d+\]\.contrast/);
  });

  it('rejects duplicate codes and relations to unknown codes or families', () => {
    const dup = fresh();
    editJson(dup, CATALOG, (d) => {
      (d.studies as Rows).push({ ...((d.studies as Rows)[0] as Record<string, unknown>) });
    });
    expect(() => loadTerminology(dup)).toThrow(/duplicate code 70450/);

    const badFamily = fresh();
    editJson(badFamily, CATALOG, (d) => {
      (d.ctCounterparts as Rows).push({ mriFamily: 'mri-brain', ctFamily: 'ct-nowhere' });
    });
    expect(() => loadTerminology(badFamily)).toThrow(/\$\.ctCounterparts\[\d+\]\.ctFamily: unknown family "ct-nowhere"/);

    const badTwin = fresh();
    editJson(badTwin, CATALOG, (d) => {
      const c = (d.studies as Rows).find((s) => s.code === 'C8931') as Record<string, unknown>;
      c.cptTwin = '72999';
    });
    expect(() => loadTerminology(badTwin)).toThrow(/cptTwin: 72999 is not a CPT code of the catalog/);
  });

  it('rejects a ValueSet filter other than ICD-10-CM is-a, naming the file and path', () => {
    const dir = fresh();
    editJson(dir, path.join('fhir-profiles', 'ValueSet-diabetes.json'), (d) => {
      const compose = d.compose as { include: { filter?: { op: string }[] }[] };
      const withFilter = compose.include.find((i) => i.filter !== undefined);
      if (withFilter?.filter?.[0]) withFilter.filter[0].op = 'descendent-of';
    });
    expect(() => loadTerminology(dir)).toThrow(/ValueSet-diabetes\.json: \$\.compose\.include\[0\]\.filter\[0\]\.op: must be one of \["is-a"\]/);
  });

  it('rejects a ValueSet whose url does not match its id, or that is not a ValueSet', () => {
    const badUrl = fresh();
    editJson(badUrl, path.join('fhir-profiles', 'ValueSet-crmo.json'), (d) => {
      d.url = 'http://imaging-cds.org/fhir/ValueSet/other';
    });
    expect(() => loadTerminology(badUrl)).toThrow(/ValueSet-crmo\.json: \$\.url: must be http:\/\/imaging-cds\.org\/fhir\/ValueSet\/crmo/);

    const notVs = fresh();
    editJson(notVs, path.join('fhir-profiles', 'ValueSet-crmo.json'), (d) => {
      d.resourceType = 'CodeSystem';
    });
    expect(() => loadTerminology(notVs)).toThrow(/ValueSet-crmo\.json: \$\.resourceType/);
  });

  it('reports a file that is not JSON', () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, CATALOG), '{ "version": ');
    expect(() => loadTerminology(dir)).toThrow(/imaging-catalog\.json: \$: not valid JSON/);
  });

  it('turns JSON pointers into JSON paths', () => {
    expect(toJsonPath('')).toBe('$');
    expect(toJsonPath('/studies/3/contrast')).toBe('$.studies[3].contrast');
    expect(toJsonPath('/a~1b')).toBe('$.a/b');
  });
});

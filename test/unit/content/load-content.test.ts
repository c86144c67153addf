import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContentError, loadContent } from '../../../src/content/load-content';
import { RULES } from '../../../src/rules/catalog';

const ROOT = path.join(__dirname, '..', '..', '..');

/** A copy of the real content in a temp dir, so a test can break one file. */
function contentCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imaging-cds-content-'));
  fs.cpSync(path.join(ROOT, 'cds-services'), path.join(dir, 'cds-services'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'fhir-profiles'), path.join(dir, 'fhir-profiles'), { recursive: true });
  return dir;
}

function edit(dir: string, rel: string, change: (json: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'cds-services', rel);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

describe('content loading at start-up', () => {
  it('loads the shipped content with every implemented rule', () => {
    const content = loadContent(ROOT, RULES);
    expect([...content.services.keys()]).toEqual(['imaging-order-select', 'imaging-order-sign']);
    for (const rule of RULES) expect(content.rules.get(rule.code)?.rule).toBe(rule.code);
  });

  it('names file and field when a card summary is too long', () => {
    const dir = contentCopy();
    edit(dir, 'rules/mri-device.json', (j) => {
      (j['cards'] as Record<string, { summary: string }>)['unsafe']!.summary = 'x'.repeat(200);
    });
    expect(() => loadContent(dir, RULES)).toThrow(ContentError);
    expect(() => loadContent(dir, RULES)).toThrow(/mri-device\.json: cards\.unsafe\.summary must NOT have more than 139 characters/);
  });

  it('names the parameter when a threshold has the wrong type', () => {
    const dir = contentCopy();
    edit(dir, 'rules/contrast-renal.json', (j) => {
      (j['parameters'] as Record<string, unknown>)['gfrThreshold'] = 'thirty';
    });
    expect(() => loadContent(dir, RULES)).toThrow(/contrast-renal\.json: parameters\.gfrThreshold must be number/);
  });

  it('rejects a prefetch template with a token CDS Hooks 2.0 does not define', () => {
    const dir = contentCopy();
    edit(dir, 'services/imaging-order-sign.json', (j) => {
      (j['prefetch'] as Record<string, string>)['serviceRequests'] = 'ServiceRequest?_id={{context.draftOrders.ServiceRequest.id}}';
    });
    expect(() => loadContent(dir, RULES)).toThrow(/imaging-order-sign\.json: prefetch\.serviceRequests uses \{\{context\.draftOrders\.ServiceRequest\.id\}\}/);
  });

  it('requires every override reason to be defined in the override-reason CodeSystem', () => {
    const dir = contentCopy();
    edit(dir, 'rules/mri-device.json', (j) => {
      (j['overrideReasons'] as { code: string; display: string }[]).push({ code: 'because-i-said-so', display: 'Because I said so' });
    });
    expect(() => loadContent(dir, RULES)).toThrow(/mri-device\.json: overrideReasons\[3\]\.code because-i-said-so is not defined/);
  });

  it('refuses to start when an implemented rule has no content file, or a file is not JSON', () => {
    const dir = contentCopy();
    fs.rmSync(path.join(dir, 'cds-services', 'rules', 'mri-device.json'));
    expect(() => loadContent(dir, RULES)).toThrow(/rules\/mri-device\.json is missing/);
    const dir2 = contentCopy();
    fs.writeFileSync(path.join(dir2, 'cds-services', 'guideline.json'), '{ nope');
    expect(() => loadContent(dir2, RULES)).toThrow(/guideline\.json: cannot be read as JSON/);
  });
});

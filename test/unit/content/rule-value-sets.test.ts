import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadServiceParts } from '../../../src/compose';
import { ContentError } from '../../../src/content/load-content';
import { checkRuleValueSets } from '../../../src/content/rule-value-sets';
import { RULES } from '../../../src/rules/catalog';
import { mriDevice } from '../../../src/rules/catalog/mri-device';
import { realTerminology } from '../terminology/helpers';

const ROOT = path.join(__dirname, '..', '..', '..');

/** A copy of the shipped content and value sets in a temp dir, so a test can break one file. */
function contentCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imaging-cds-value-sets-'));
  fs.cpSync(path.join(ROOT, 'cds-services'), path.join(dir, 'cds-services'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'fhir-profiles'), path.join(dir, 'fhir-profiles'), { recursive: true });
  return dir;
}

describe('value sets the rules declare, checked at start-up', () => {
  it('accepts the shipped rules and value sets', () => {
    expect(() => checkRuleValueSets(RULES, realTerminology())).not.toThrow();
  });

  it('stops start-up on a misspelt id, naming the rule and the id', () => {
    const misspelt = { ...mriDevice, valueSets: ['mr-safety-unsafe', 'mr-safty-conditional'] };
    expect(() => checkRuleValueSets([...RULES, misspelt], realTerminology())).toThrow(ContentError);
    expect(() => checkRuleValueSets([misspelt], realTerminology())).toThrow(/rule mri-device uses value set "mr-safty-conditional", which is not loaded/);
  });

  it('stops start-up when a value set a rule uses is missing from fhir-profiles/', () => {
    const dir = contentCopy();
    fs.rmSync(path.join(dir, 'fhir-profiles', 'ValueSet-dense-breast-tissue.json'));
    expect(() => loadServiceParts({ contentDir: dir })).toThrow(/rule state-mandate uses value set "dense-breast-tissue"/);
  });
});

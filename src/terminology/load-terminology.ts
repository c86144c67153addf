import fs from 'node:fs';
import path from 'node:path';
import type { ValueSet } from 'fhir/r4';
import { buildTerminology } from './build-terminology';
import type { CatalogFile } from './catalog-file';
import type { Terminology } from './types';

/**
 * Reads the imaging catalog and every ValueSet in fhir-profiles/ once, at start-up.
 * (Minimal loader for the core service; schema validation of these files belongs to the terminology work.)
 */
export function loadTerminology(rootDir: string): Terminology {
  const catalogPath = path.join(rootDir, 'cds-services', 'terminology', 'imaging-catalog.json');
  const catalog = JSON.parse(fs.readFileSync(catalogPath, 'utf8')) as CatalogFile;
  const profilesDir = path.join(rootDir, 'fhir-profiles');
  const valueSets = fs
    .readdirSync(profilesDir)
    .filter((f) => f.startsWith('ValueSet-') && f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(profilesDir, f), 'utf8')) as ValueSet);
  return buildTerminology(catalog, valueSets);
}

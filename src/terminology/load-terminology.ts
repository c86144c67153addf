import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ValueSet } from 'fhir/r4';
import { buildTerminology } from './build-terminology';
import type { CatalogFile } from './catalog-file';
import type { Terminology } from './types';

/** Where the terminology content lives, relative to the project root. */
export const TERMINOLOGY_PATHS = {
  catalog: path.join('cds-services', 'terminology', 'imaging-catalog.json'),
  catalogSchema: path.join('cds-services', 'schemas', 'imaging-catalog.schema.json'),
  valueSetSchema: path.join('cds-services', 'schemas', 'fhir-valueset.schema.json'),
  profilesDir: 'fhir-profiles',
} as const;

const VALUE_SET_URL_BASE = 'http://imaging-cds.org/fhir/ValueSet/';

/** Thrown for any problem in the terminology content; the message names the file and the JSON path. */
export class TerminologyContentError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    detail: string,
  ) {
    super(`${file}: ${jsonPath}: ${detail}`);
    this.name = 'TerminologyContentError';
  }
}

interface CompiledSchemas {
  readonly catalog: ValidateFunction<CatalogFile>;
  readonly valueSet: ValidateFunction<ValueSet>;
}

/** Schemas are compiled once per root directory (ajv compilation is the expensive part). */
const schemaCache = new Map<string, CompiledSchemas>();

function compileSchemas(rootDir: string): CompiledSchemas {
  const cached = schemaCache.get(rootDir);
  if (cached !== undefined) return cached;
  // allErrors: false on purpose: the first error is the one we report, with its path. strictRequired is off
  // because `anyOf: [{required: [...]}]` (concept or filter) names properties declared one level up.
  // validateSchema: false: the terminology schemas are checked against the 2020-12 meta-schema by
  // test/unit/schemas.test.ts; strict mode still rejects unknown keywords when they compile.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: false, validateSchema: false });
  const compiled: CompiledSchemas = {
    catalog: ajv.compile<CatalogFile>(readJson(rootDir, TERMINOLOGY_PATHS.catalogSchema) as object),
    valueSet: ajv.compile<ValueSet>(readJson(rootDir, TERMINOLOGY_PATHS.valueSetSchema) as object),
  };
  schemaCache.set(rootDir, compiled);
  return compiled;
}

function readJson(rootDir: string, relative: string): unknown {
  const text = fs.readFileSync(path.join(rootDir, relative), 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new TerminologyContentError(relative, '$', `not valid JSON (${(e as Error).message})`);
  }
}

/** ajv's instancePath is a JSON Pointer ("/studies/3/contrast"); report it as "$.studies[3].contrast". */
export function toJsonPath(pointer: string): string {
  if (pointer === '') return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
      .join('')
  );
}

function describe(error: ErrorObject): { path: string; detail: string } {
  let pointer = error.instancePath;
  let detail = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty?: string }).additionalProperty;
    if (extra !== undefined) pointer = `${pointer}/${extra}`;
    detail = 'is not an allowed property';
  } else if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty?: string }).missingProperty;
    if (missing !== undefined) pointer = `${pointer}/${missing}`;
    detail = 'is required';
  } else if (error.keyword === 'enum' || error.keyword === 'const') {
    const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
    const allowed = params.allowedValues ?? [params.allowedValue];
    detail = `must be one of ${JSON.stringify(allowed)}`;
  }
  return { path: toJsonPath(pointer), detail };
}

function assertValid<T>(validate: ValidateFunction<T>, data: unknown, file: string): asserts data is T {
  if (validate(data)) return;
  const first = validate.errors?.[0];
  if (first === undefined) throw new TerminologyContentError(file, '$', 'is invalid');
  const { path: jsonPath, detail } = describe(first);
  throw new TerminologyContentError(file, jsonPath, detail);
}

/**
 * Cross-references JSON Schema cannot express: unique codes, relations that point at real
 * codes/families, twins that are CPT codes. Every relation must resolve, or start-up fails.
 */
function checkCatalogReferences(catalog: CatalogFile, file: string): void {
  const codes = new Map<string, number>();
  const families = new Set<string>();
  catalog.studies.forEach((s, i) => {
    const previous = codes.get(s.code);
    if (previous !== undefined) {
      throw new TerminologyContentError(file, `$.studies[${i}].code`, `duplicate code ${s.code} (also $.studies[${previous}])`);
    }
    codes.set(s.code, i);
    if (s.family !== undefined) families.add(s.family);
  });
  const studyAt = (code: string) => catalog.studies[codes.get(code) ?? -1];
  catalog.studies.forEach((s, i) => {
    if (s.cptTwin === undefined) return;
    const twin = studyAt(s.cptTwin);
    if (twin === undefined || twin.system !== 'cpt') {
      throw new TerminologyContentError(file, `$.studies[${i}].cptTwin`, `${s.cptTwin} is not a CPT code of the catalog`);
    }
  });
  const needFamily = (family: string, at: string) => {
    if (!families.has(family)) throw new TerminologyContentError(file, at, `unknown family "${family}"`);
  };
  const needCode = (code: string, at: string) => {
    if (!codes.has(code)) throw new TerminologyContentError(file, at, `unknown code ${code}`);
  };
  catalog.ctCounterparts.forEach((r, i) => {
    needFamily(r.mriFamily, `$.ctCounterparts[${i}].mriFamily`);
    needFamily(r.ctFamily, `$.ctCounterparts[${i}].ctFamily`);
  });
  (catalog.noCtCounterpart ?? []).forEach((r, i) => needFamily(r.mriFamily, `$.noCtCounterpart[${i}].mriFamily`));
  catalog.bilateral.forEach((r, i) => {
    needCode(r.unilateral, `$.bilateral[${i}].unilateral`);
    needCode(r.bilateral, `$.bilateral[${i}].bilateral`);
  });
  catalog.petCt.forEach((r, i) => {
    needCode(r.pet, `$.petCt[${i}].pet`);
    needCode(r.petCt, `$.petCt[${i}].petCt`);
  });
  const mapped = new Set<string>();
  catalog.codeMappings.forEach((m, i) => {
    needCode(m.study, `$.codeMappings[${i}].study`);
    const k = `${m.system}|${m.code}`;
    if (mapped.has(k)) throw new TerminologyContentError(file, `$.codeMappings[${i}].code`, `duplicate mapping for ${k}`);
    mapped.add(k);
  });
}

function checkValueSet(vs: ValueSet, file: string): void {
  const expectedFile = `ValueSet-${vs.id ?? ''}.json`;
  if (path.basename(file) !== expectedFile) {
    throw new TerminologyContentError(file, '$.id', `id "${vs.id ?? ''}" does not match the file name (expected ${expectedFile})`);
  }
  if (vs.url !== `${VALUE_SET_URL_BASE}${vs.id ?? ''}`) {
    throw new TerminologyContentError(file, '$.url', `must be ${VALUE_SET_URL_BASE}${vs.id ?? ''}`);
  }
  vs.compose?.include.forEach((inc, i) => {
    const seen = new Set<string>();
    inc.concept?.forEach((c, j) => {
      if (seen.has(c.code)) {
        throw new TerminologyContentError(file, `$.compose.include[${i}].concept[${j}].code`, `duplicate code ${c.code}`);
      }
      seen.add(c.code);
    });
  });
}

/** Reads and validates the catalog file (exported for tests and the content-validation CLI). */
export function loadCatalog(rootDir: string): CatalogFile {
  const schemas = compileSchemas(rootDir);
  const file = TERMINOLOGY_PATHS.catalog;
  const data = readJson(rootDir, file);
  assertValid(schemas.catalog, data, file);
  checkCatalogReferences(data, file);
  return data;
}

/** Reads and validates every fhir-profiles/ValueSet-*.json, sorted by file name. */
export function loadValueSets(rootDir: string): ValueSet[] {
  const schemas = compileSchemas(rootDir);
  const dir = path.join(rootDir, TERMINOLOGY_PATHS.profilesDir);
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('ValueSet-') && f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = path.join(TERMINOLOGY_PATHS.profilesDir, f);
      const data = readJson(rootDir, file);
      assertValid(schemas.valueSet, data, file);
      checkValueSet(data, file);
      return data;
    });
}

/**
 * Reads cds-services/terminology/imaging-catalog.json and every fhir-profiles/ValueSet-*.json once, at
 * start-up, validates them (JSON Schema + cross-references) and builds the in-memory terminology.
 * Throws TerminologyContentError naming the file and the JSON path of the first problem.
 */
export function loadTerminology(rootDir: string): Terminology {
  return buildTerminology(loadCatalog(rootDir), loadValueSets(rootDir));
}

import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { DATA_KEYS, KEY_RESOURCE_TYPE, isDataKey } from '../fhir/data-keys';
import { ALLOWED_TOKENS, tokensOf } from '../cds-hooks/prefetch-template';
import type { Rule } from '../rules/engine/types';
import { EVALUATION_INCOMPLETE, EVALUATION_INCOMPLETE_VARIANTS } from '../rules/engine/types';
import { errorPath } from '../validation/issues';
import type { Content, GuidelineContent, RuleContent, ServiceContent } from './types';

/** Start-up fails with this error; its message names the file and the field (engineering standards). */
export class ContentError extends Error {
  override name = 'ContentError';
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new ContentError(`${file}: cannot be read as JSON (${(e as Error).message})`);
  }
}

function check<T>(validate: ValidateFunction<T>, data: unknown, file: string): T {
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${errorPath(e)} ${e.message ?? 'is invalid'}`);
    throw new ContentError(`${file}: ${problems.join('; ')}`);
  }
  return data;
}

const jsonFiles = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => path.join(dir, f))
    : [];

function checkService(service: ServiceContent, file: string): void {
  for (const [key, template] of Object.entries(service.prefetch)) {
    if (!isDataKey(key)) throw new ContentError(`${file}: prefetch.${key} is not a record key the rules read (${DATA_KEYS.join(', ')})`);
    for (const token of tokensOf(template)) {
      if (!(ALLOWED_TOKENS as readonly string[]).includes(token)) {
        throw new ContentError(`${file}: prefetch.${key} uses {{${token}}}, which is not a CDS Hooks 2.0 prefetch token for ${service.hook}`);
      }
    }
    const type = template.split(/[/?]/)[0];
    if (type !== KEY_RESOURCE_TYPE[key]) throw new ContentError(`${file}: prefetch.${key} must query ${KEY_RESOURCE_TYPE[key]}, not ${type ?? '?'}`);
  }
  for (const key of DATA_KEYS) {
    if (service.prefetch[key] === undefined) throw new ContentError(`${file}: prefetch.${key} is missing (the rules read it)`);
  }
}

function checkRule(content: RuleContent, rule: Rule | undefined, file: string, guideline: GuidelineContent, ajv: Ajv): void {
  if (path.basename(file, '.json') !== content.rule) throw new ContentError(`${file}: rule must match the file name`);
  if (content.section !== 'service' && guideline.sections[content.section] === undefined) {
    throw new ContentError(`${file}: section ${content.section} is not listed in guideline.json`);
  }
  if (guideline.cardTypes[content.crdType] === undefined) throw new ContentError(`${file}: crdType ${content.crdType} is not listed in guideline.json`);
  if (rule === undefined) return;
  for (const variant of rule.variants) {
    if (content.cards[variant] === undefined) throw new ContentError(`${file}: cards.${variant} is missing (the rule produces it)`);
  }
  for (const key of rule.suggestionKeys) {
    if (content.suggestions[key] === undefined) throw new ContentError(`${file}: suggestions.${key} is missing (the rule offers it)`);
  }
  const validate = ajv.compile(rule.parameterSchema);
  if (!validate(content.parameters)) {
    const problems = (validate.errors ?? []).map((e) => `${errorPath(e, 'parameters')} ${e.message ?? 'is invalid'}`);
    throw new ContentError(`${file}: ${problems.join('; ')}`);
  }
}

interface CodeSystemFile {
  readonly url?: string;
  readonly concept?: readonly { readonly code: string }[];
}

/** Codes of a CodeSystem in fhir-profiles/, checked against the canonical URL guideline.json cites. */
function codeSystemCodes(root: string, file: string, expectedUrl: string): Set<string> {
  const full = path.join(root, 'fhir-profiles', file);
  const cs = readJson(full) as CodeSystemFile;
  if (cs.url !== expectedUrl) throw new ContentError(`${full}: url must be ${expectedUrl} (as cited by cds-services/guideline.json)`);
  return new Set((cs.concept ?? []).map((c) => c.code));
}

/**
 * Loads and validates everything under `<root>/cds-services` once, at start-up. Every file is checked
 * against its JSON Schema (cds-services/schemas/), and cross-references are resolved: each implemented
 * rule has a content file with the wording variants and parameters it needs, and vice versa.
 */
export function loadContent(root: string, rules: readonly Rule[]): Content {
  const dir = path.join(root, 'cds-services');
  // validateSchema: false: content schemas and rule parameter schemas are repository code checked against
  // the meta-schema by test/unit/schemas.test.ts; compiling the meta-schema here cost start-up time.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  const schema = (name: string): object => readJson(path.join(dir, 'schemas', `${name}.schema.json`)) as object;
  const validateGuideline = ajv.compile<GuidelineContent>(schema('guideline'));
  const validateService = ajv.compile<ServiceContent>(schema('service'));
  const validateRule = ajv.compile<RuleContent>(schema('rule'));

  const guidelineFile = path.join(dir, 'guideline.json');
  const guideline = check(validateGuideline, readJson(guidelineFile), guidelineFile);

  const services = new Map<string, ServiceContent>();
  for (const file of jsonFiles(path.join(dir, 'services'))) {
    const service = check(validateService, readJson(file), file);
    checkService(service, file);
    if (services.has(service.id)) throw new ContentError(`${file}: id ${service.id} is used twice`);
    services.set(service.id, service);
  }
  if (services.size === 0) throw new ContentError(`${dir}/services: no service definitions`);

  const byCode = new Map(rules.map((r) => [r.code, r] as const));
  // Rule codes and override reasons are public codes: each must be defined in its CodeSystem (fhir-profiles/).
  const ruleCodes = codeSystemCodes(root, 'CodeSystem-imaging-cds-rules.json', guideline.ruleCodeSystem);
  const overrideCodes = codeSystemCodes(root, 'CodeSystem-override-reasons.json', guideline.overrideReasonSystem);
  const ruleContent = new Map<string, RuleContent>();
  for (const file of jsonFiles(path.join(dir, 'rules'))) {
    const content = check(validateRule, readJson(file), file);
    checkRule(content, byCode.get(content.rule), file, guideline, ajv);
    if (!ruleCodes.has(content.rule)) throw new ContentError(`${file}: rule ${content.rule} is not defined in fhir-profiles/CodeSystem-imaging-cds-rules.json`);
    content.overrideReasons.forEach((r, i) => {
      if (!overrideCodes.has(r.code)) {
        throw new ContentError(`${file}: overrideReasons[${i}].code ${r.code} is not defined in fhir-profiles/CodeSystem-override-reasons.json`);
      }
    });
    ruleContent.set(content.rule, content);
  }
  for (const code of [...byCode.keys(), EVALUATION_INCOMPLETE]) {
    if (!ruleContent.has(code)) throw new ContentError(`${dir}/rules/${code}.json is missing (rule ${code} is implemented)`);
  }
  for (const variant of EVALUATION_INCOMPLETE_VARIANTS) {
    if (ruleContent.get(EVALUATION_INCOMPLETE)?.cards[variant] === undefined) {
      throw new ContentError(`${dir}/rules/${EVALUATION_INCOMPLETE}.json: cards.${variant} is missing (the service produces it)`);
    }
  }
  return { guideline, services, rules: ruleContent };
}

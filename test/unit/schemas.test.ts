import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { ENV_SCHEMA } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import { RULES } from '../../src/rules/catalog';

/**
 * The service compiles its schemas with `validateSchema: false` so that start-up does not compile the
 * JSON Schema meta-schema once per ajv instance (docs/performance.md). The check it skips is done
 * here instead: every schema the service compiles is a valid schema of the draft it declares.
 */
const root = projectRoot();
const draft07 = new Ajv({ strict: false });
const draft2020 = new Ajv2020({ strict: false });

function problems(schema: object): string | undefined {
  const declared = (schema as { $schema?: string }).$schema ?? '';
  const ajv = declared.includes('2020-12') ? draft2020 : draft07;
  return ajv.validateSchema(schema) ? undefined : ajv.errorsText(ajv.errors);
}

const schemaFiles = ['cds-services/schemas', 'src/cds-hooks/schemas'].flatMap((dir) =>
  fs
    .readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => path.join(dir, f)),
);

describe('schemas compiled at start-up are valid against their meta-schema', () => {
  it('finds the schema files', () => {
    expect(schemaFiles).toEqual(expect.arrayContaining(['src/cds-hooks/schemas/hook-request.schema.json', 'cds-services/schemas/rule.schema.json', 'cds-services/schemas/imaging-catalog.schema.json']));
  });

  it.each(schemaFiles)('%s', (file) => {
    expect(problems(JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as object)).toBeUndefined();
  });

  it('the environment schema', () => {
    expect(problems(ENV_SCHEMA)).toBeUndefined();
  });

  it.each(RULES.map((r) => [r.code, r.parameterSchema] as const))('parameters of rule %s', (_code, schema) => {
    expect(problems(schema)).toBeUndefined();
  });

  it('rejects a broken schema (the check is real)', () => {
    expect(problems({ type: 'object', properties: { a: { type: 'strnig' } } })).toBeDefined();
  });
});

import type { ErrorObject } from 'ajv';

/** Turns an ajv error into the FHIRPath-like location a client can act on: `context.draftOrders.entry[0]`. */
export function errorPath(error: ErrorObject, root = ''): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') segments.push(String((error.params as { missingProperty: string }).missingProperty));
  if (error.keyword === 'dependencies' || error.keyword === 'dependentRequired') {
    segments.push(String((error.params as { missingProperty: string }).missingProperty));
  }
  let out = root;
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out === '' ? '(body)' : out;
}

/** A sentence a developer understands without knowing ajv. */
export function errorText(error: ErrorObject, path: string): string {
  switch (error.keyword) {
    case 'required':
    case 'dependencies':
      return `${path} is required`;
    case 'type':
      return `${path} must be ${(error.params as { type: string }).type === 'object' ? 'an object' : `of type ${(error.params as { type: string }).type}`}`;
    case 'const':
      return `${path} must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    case 'enum':
      return `${path} must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
    case 'pattern':
      return `${path} has an invalid format`;
    case 'format':
      return `${path} must be a valid ${(error.params as { format: string }).format}`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

/**
 * Reviewed wording is split into literal text and `{{name}}` placeholders once, on first use, and then
 * rendered by concatenation: every card of every call renders several templates, and a regex replace per
 * template was the largest share of building cards in the profile (docs/performance.md). Templates come only from
 * the validated content, so the cache is bounded by the content; the limit is a guard all the same.
 */
type Compiled = readonly string[]; // even indexes: literal text; odd indexes: placeholder names

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
const COMPILED = new Map<string, { parts: Compiled; raw: readonly string[] }>();
const COMPILED_LIMIT = 2_000;

function compile(template: string): { parts: Compiled; raw: readonly string[] } {
  const known = COMPILED.get(template);
  if (known !== undefined) return known;
  const parts: string[] = [];
  const raw: string[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, m.index), m[1] ?? '');
    raw.push(m[0]);
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  const compiled = { parts, raw };
  if (COMPILED.size >= COMPILED_LIMIT) COMPILED.clear();
  COMPILED.set(template, compiled);
  return compiled;
}

/** `{{name}}` placeholders in reviewed wording; an unknown name is left visible rather than silently dropped. */
export function interpolate(template: string, vars: Readonly<Record<string, string>>): string {
  const { parts, raw } = compile(template);
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] ?? '';
    out += (Object.hasOwn(vars, name) ? vars[name] : undefined) ?? raw[(i - 1) / 2] ?? '';
    out += parts[i + 1] ?? '';
  }
  return out;
}

/** CDS Hooks: summary SHALL be under 140 characters; shorten the order's display text, never the advice. */
export function fitSummary(template: string, vars: Readonly<Record<string, string>>, max = 139): string {
  let text = interpolate(template, vars);
  const order = vars['order'];
  if (text.length <= max || order === undefined) return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  const room = Math.max(8, order.length - (text.length - max) - 1);
  text = interpolate(template, { ...vars, order: `${order.slice(0, room)}…` });
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Markdown table cells must not break the table. */
export const cell = (s: string): string => (s.includes('|') || s.includes('\n') ? s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ') : s);

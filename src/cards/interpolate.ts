/** `{{name}}` placeholders in reviewed wording; an unknown name is left visible rather than silently dropped. */
export function interpolate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (all, name: string) => vars[name] ?? all);
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
export const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

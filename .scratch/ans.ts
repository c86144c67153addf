import fs from 'node:fs';
import { handleHook } from '../src/cds/invoke';
import { benchHookDeps } from '../bench/bench-body';
async function main() {
  const body = fs.readFileSync('/tmp/body.json', 'utf8');
  const deps = benchHookDeps('http://127.0.0.1:1/fhir');
  const res = await handleHook('imaging-order-sign', JSON.parse(body), {}, deps);
  const s = JSON.stringify(res);
  fs.writeFileSync('/tmp/answer.json', s);
  console.log('total', s.length);
  for (const c of res.cards) {
    const parts: Record<string, number> = {};
    for (const [k, v] of Object.entries(c)) parts[k] = JSON.stringify(v).length;
    console.log(c.extension?.['imaging-cds']?.rule, JSON.stringify(c).length, JSON.stringify(parts));
  }
  const sug = res.cards[0]?.suggestions?.[0];
  console.log(JSON.stringify(res.cards[0], null, 1).slice(0, 3500));
}
void main();

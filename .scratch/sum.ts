import fs from 'node:fs';
import { summariseProfile } from '../bench/profile-summary';
const dir = process.argv[2]!;
const f = fs.readdirSync(dir).map((x) => `${dir}/${x}`)[0]!;
const { rows, totalMs, idleMs } = summariseProfile(f, process.cwd(), Number(process.argv[3] ?? 40), 3000);
console.log('total', totalMs.toFixed(0), 'idle', idleMs.toFixed(0));
for (const r of rows) console.log(r.selfMs.toFixed(1).padStart(8), r.percent.toFixed(1).padStart(5), r.fn, r.where);

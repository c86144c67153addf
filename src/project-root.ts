import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json, found from this module's location, so content and assets resolve
 * the same way from `src/` (ts-jest, tsx) and from the compiled `dist/src/`.
 */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
}

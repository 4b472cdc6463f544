import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root directory (where package.json, drizzle/, prompts/ and
 * config/ live), found the same way from the sources (src/) and from the
 * compiled build (dist/src/), so files beside the code resolve in both.
 */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`otklik: no package.json above ${from}`);
  }
}

/** A path inside the package: `fromRoot('drizzle')`. */
export function fromRoot(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

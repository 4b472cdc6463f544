import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error.js';

/** The environment with a `.env` file's values under it, and which keys came from the file. */
export interface LoadedEnvironment {
  env: NodeJS.ProcessEnv;
  /** The file read (absent when there was none). */
  file?: string;
  fromFile: ReadonlySet<string>;
}

/**
 * Reads `file` (Node's own .env syntax, as `process.loadEnvFile`) when it exists and
 * puts its values under `env`: a variable set in the environment wins over the file.
 * A missing file is not an error; an unreadable one is (exit 78).
 */
export function loadEnvironment(env: NodeJS.ProcessEnv, file: string | null): LoadedEnvironment {
  if (!file) return { env, fromFile: new Set() };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { env, fromFile: new Set() };
    throw new ConfigError(`${file}: cannot read the settings file: ${(e as Error).message}`, { cause: e });
  }
  const values = parseEnv(text);
  const fromFile = new Set(Object.keys(values).filter((k) => env[k] === undefined || env[k] === ''));
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const key of fromFile) merged[key] = values[key];
  return { env: merged, file, fromFile };
}

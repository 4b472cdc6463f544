import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../adapters/file/index.js';
import { runCli } from '../../src/cli.js';
import { loadEnvironment } from '../../src/config/dotenv.js';

function envFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'otklik-env-')), '.env');
  writeFileSync(file, text);
  return file;
}

async function cli(argv: string[], env: NodeJS.ProcessEnv, file: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    createAdapters: () => new Map([['file', createFileAdapter()]]),
    fileAdapter: createFileAdapter(),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { LOG_LEVEL: 'silent', ...env },
    envFile: file,
  });
  return { code, out, err };
}

describe('.env', () => {
  it('puts the file under the environment: the environment wins, empty means unset', () => {
    const file = envFile('# comment\nA=from-file\nB="quoted value"\nC=file\nexport D=4\n');
    const { env, fromFile } = loadEnvironment({ C: 'from-env', A: '' }, file);
    expect(env).toMatchObject({ A: 'from-file', B: 'quoted value', C: 'from-env', D: '4' });
    expect([...fromFile].sort()).toEqual(['A', 'B', 'D']);
  });

  it('a missing file is no error', () => {
    expect(loadEnvironment({ X: '1' }, '/nonexistent/.env').env).toEqual({ X: '1' });
  });

  it('a value from the file is used by the command', async () => {
    const r = await cli(['sources'], { OTKLIK_DATA_DIR: 'memory://' }, envFile('OTKLIK_CONFIG=/nonexistent/from-dotenv.yaml\n'));
    expect(r.code).toBe(78);
    expect(r.err).toEqual(['otklik: /nonexistent/from-dotenv.yaml: cannot read the installation config (OTKLIK_CONFIG)']);
  });

  it('a bad value in the file fails with exit 78 naming the file and the variable', async () => {
    const file = envFile('VK_API_BASE_URL=not a url\n');
    const r = await cli(['sources'], { OTKLIK_DATA_DIR: 'memory://' }, file);
    expect(r.code).toBe(78);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^otklik: ${file.replace(/[.]/g, '\\.')}: VK_API_BASE_URL: `));
  });

  it('the environment wins over a bad value in the file', async () => {
    const r = await cli(['sources'], { OTKLIK_DATA_DIR: 'memory://', VK_API_BASE_URL: 'http://127.0.0.1:9/method' }, envFile('VK_API_BASE_URL=not a url\n'));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
  });
});

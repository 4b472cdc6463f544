/**
 * Files otklik creates that hold citizens' texts are owner-only: the embedded database directory
 * (700), `otklik export` (CSV and XLSX) and `otklik classify --csv --out` (600). `.env` from
 * `otklik init` is checked in test/init.test.ts, the database files at rest in
 * test/e2e/one-database.test.ts.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../adapters/file/index.js';
import { runCli } from '../../src/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'otklik-owner-only-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mode = (path: string) => statSync(path).mode & 0o777;

function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { LOG_LEVEL: 'silent', OTKLIK_DATA_DIR: join(dir, 'db') };
  return runCli(argv, { createAdapters: () => new Map([['file', createFileAdapter()]]), fileAdapter: createFileAdapter(), out: (l) => out.push(l), err: (l) => err.push(l), env, envFile: null }).then((code) => ({ code, out, err }));
}

describe('owner-only files', () => {
  it('the data directory is 700; exports and classified files are 600 (the umask allows 644)', { timeout: 120_000 }, async () => {
    const umask = process.umask(0o022);
    try {
      const csv = join(dir, 'export.csv');
      const xlsx = join(dir, 'export.xlsx');
      expect((await cli(['export', '--format', 'im', '--from', '2026-01-01', '--to', '2026-01-31', '--out', csv])).code).toBe(0);
      expect((await cli(['export', '--format', 'im', '--from', '2026-01-01', '--to', '2026-01-31', '--out', xlsx])).code).toBe(0);
      const input = join(dir, 'texts.csv');
      writeFileSync(input, 'text\nВо дворе дома 5 не вывозят мусор\n');
      const classified = join(dir, 'classified.jsonl');
      const c = await cli(['classify', '--csv', input, '--out', classified]);
      expect(c.code, c.err.join('\n')).toBe(0);
      expect({ db: mode(join(dir, 'db')), csv: mode(csv), xlsx: mode(xlsx), classified: mode(classified) }).toEqual({ db: 0o700, csv: 0o600, xlsx: 0o600, classified: 0o600 });
    } finally {
      process.umask(umask);
    }
  });
});

/**
 * Tokens never surface: not in the database (sources, notices, outbox, replies), not in
 * `otklik sources` (text and --json), not in log lines, not in admin notices, not in a CLI
 * error line. Part one drives real processes: the staff bot's Bot API root points at a closed
 * loopback port, so telegraf's error carries the request URL with the token in its path — the
 * fault that used to be stored in `sources.last_error` and printed by `otklik sources`.
 */
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { openDb } from '../../src/db/client.js';
import { sources } from '../../src/db/schema.js';
import { SourceError, type ChannelAdapter } from '../../src/domain/source.js';
import { createLogger } from '../../src/log.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';
import { freePort, spawnOtklik, writeConfig } from '../helpers/otklik-process.js';

/** Spawned processes start PGlite and run migrations: generous on a loaded 2-core CI machine. */
const PROCESS_TIMEOUT_MS = 240_000;
const BOT_TOKEN = '7712345678:AAFakeStaffBotSecretForRedactionTest01';
const SECRET = BOT_TOKEN.split(':')[1]!;

/** Every text column of every table that stores errors or messages, as one string. */
async function everyStoredText(db: Awaited<ReturnType<typeof openDb>>['db']): Promise<string> {
  const parts: string[] = [];
  for (const table of ['sources', 'notices', 'outbox', 'replies', 'posts']) {
    const res = (await db.execute(sql.raw(`select row_to_json(t)::text as j from ${table} t`))) as unknown as { rows?: Array<{ j: string }> } & Array<{ j: string }>;
    for (const r of res.rows ?? res) parts.push(r.j);
  }
  return parts.join('\n');
}

describe('a token in a library error, through real processes', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    const closed = await freePort(); // nothing listens there: connection refused
    const cfg = writeConfig({ sources: [{ channel: 'telegram', kind: 'bot', ref: 'staff', name: 'Бот', options: { chats: ['-1001'] } }], chats: { admins: '-1002' } });
    dir = cfg.dir;
    env = { OTKLIK_CONFIG: cfg.path, OTKLIK_DATA_DIR: join(dir, 'data'), TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: `http://127.0.0.1:${closed}`, LOG_LEVEL: 'debug' };
  });

  it('poll --once stores the failure without the token; sources and sources --json print none; logs carry none', async () => {
    const poll = spawnOtklik(['poll', '--once'], env);
    const polled = await poll.exited;
    expect(polled.code).toBe(1); // the only source failed
    const text = spawnOtklik(['sources'], env);
    await text.exited;
    const json = spawnOtklik(['sources', '--json'], env);
    await json.exited;
    const shown = [...text.stdout, ...json.stdout].join('\n');
    expect(shown).toMatch(/backoff/);
    expect(shown).toMatch(/\[redacted\]\/getUpdates failed/i); // the URL is kept, so the operator sees what failed
    const everything = [poll, text, json].flatMap((p) => [...p.stdout, ...p.stderr]).join('\n');
    expect(everything).not.toContain(SECRET);
    const db = await openDb({ dataDir: env.OTKLIK_DATA_DIR! });
    try {
      const [src] = await db.db.select().from(sources);
      expect(src!.lastError).toMatch(/redacted/i);
      expect(await everyStoredText(db.db)).not.toContain(SECRET);
    } finally {
      await db.close();
    }
  }, PROCESS_TIMEOUT_MS);
});

describe('a token in an adapter error, in-process (admin notice, log, database)', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  beforeAll(async () => void (h = await openTestDb()));
  afterAll(async () => h?.close());

  it('a broken source whose error embeds the token, a Bearer header and a database password', async () => {
    const told: string[] = [];
    const lines: string[] = [];
    const destination = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const message = `request to https://api.telegram.org/bot${BOT_TOKEN}/getUpdates failed; Authorization: Bearer sk-live-XYZSECRET123; db postgres://otklik:pgS3cretPw@db:5432/otklik; vk access_token=vk1.a.VKSECRETTOKEN&v=5.199`;
    const failing: ChannelAdapter = { channel: 'telegram', kinds: ['bot'], poll: async () => Promise.reject(new SourceError('broken', message)) };
    const app = await createTestApp(h, {
      installation: testInstallation([{ channel: 'telegram', kind: 'bot', ref: 'staff', enabled: true, interval: 60, options: {} }]),
      createAdapters: () => new Map([['telegram', failing]]),
      notifier: { toAdmins: async (t) => void told.push(t), toManagers: async () => {}, send: async () => {} },
      log: createLogger({ level: 'info', destination: destination as never, env: {} }),
    });
    await app.poller.pollOnce({ force: true });
    const [src] = await h.db.select().from(sources);
    const surfaces = { lastError: src!.lastError ?? '', notice: told.join('\n'), log: lines.join('') };
    for (const [where, text] of Object.entries(surfaces)) {
      for (const secret of [SECRET, 'XYZSECRET123', 'pgS3cretPw', 'VKSECRETTOKEN']) expect(text, `${where} leaks ${secret}`).not.toContain(secret);
    }
    expect(told).toHaveLength(1);
    expect(surfaces.notice).toContain('getUpdates failed');
  });
});

describe('a CLI error line', () => {
  it('carries no token and no stack trace', async () => {
    const err: string[] = [];
    const code = await runCli(['sources'], {
      env: { DATABASE_URL: 'postgres://otklik:pgS3cretPw@127.0.0.1:1/otklik', TELEGRAM_BOT_TOKEN: BOT_TOKEN },
      envFile: null,
      out: () => {},
      err: (l) => err.push(l),
      createAdapters: () => new Map(),
      fileAdapter: { channel: 'file', kinds: [], poll: async () => ({ posts: [], cursor: null }) },
    });
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).not.toMatch(/pgS3cretPw|AAFake|\n\s+at /);
  });
});

/**
 * Two outbox drainers on one Postgres (two instances, each with its own connection pool and
 * its own limit bookkeeping): one sends at a time, so the Bot API sees no limit broken (per
 * chat 1/s, per group 20/min) and every message once; when the sending one stops, the other
 * takes over; a dead sender's lease is taken over when it expires. Postgres only: PGlite is one
 * process, one drainer.
 */
import { sql } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessage } from '../../src/bot/outbox.js';
import { createOutboxSender } from '../../src/bot/sender.js';
import { systemClock } from '../../src/clock.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';
import { openTestDb } from '../helpers/db.js';
import { eventually } from '../helpers/otklik-process.js';

const TOKEN = '333:shared-outbox-token';
const log = createLogger({ level: 'silent' });
const CHATS = ['1001', '1002', '1003', '-1004'];

describe.skipIf(!process.env.TEST_DATABASE_URL)('two outbox drainers on one Postgres', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  let second: DbHandle;
  let fake: TelegramFake;
  beforeAll(async () => {
    h = await openTestDb();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${((await h.db.execute(sql`select current_database() as d`)) as unknown as Array<{ d: string }>)[0]!.d}`;
    second = await openDb({ url: url.toString() });
    fake = await startTelegramFake();
  });
  afterAll(async () => {
    await fake?.close();
    await second?.close();
    await h?.close();
  });

  const drainer = (db: DbHandle, instance: string) => {
    const sender = createOutboxSender({ db: db.db, telegram: new Telegram(TOKEN, { apiRoot: fake.apiRoot }), clock: systemClock, log, instance, shared: true });
    const stop = new AbortController();
    return { stopped: sender.run(stop.signal, 100), stop: () => stop.abort() };
  };
  const queue = async (round: number) => {
    for (let i = 0; i < 3; i++) for (const chatId of CHATS) await enqueueMessage(h.db, { chatId, html: `сообщение ${round}.${i} в ${chatId}` }, new Date());
  };

  it('one sends at a time: no limit broken, every message once; the other takes over when it stops', { timeout: 60_000 }, async () => {
    await queue(1);
    const a = drainer(h, 'a');
    // a holds the outbox lease once it has sent something; b starts then and stands by.
    await eventually(() => (fake.sent().length > 0 ? true : undefined), 20_000, 'a sending');
    const b = drainer(second, 'b');
    await eventually(() => (fake.sent().length === 12 ? true : undefined), 20_000, 'the first 12 messages');
    // The sending instance stops; the second batch must still go out, sent by the other.
    a.stop();
    await a.stopped;
    await queue(2);
    await eventually(() => (fake.sent().length === 24 ? true : undefined), 20_000, 'the second 12 messages (sent by b)');
    b.stop();
    await b.stopped;

    const texts = fake.sent().map((p) => String(p.text));
    expect(new Set(texts).size).toBe(24);
    expect(texts.sort()).toEqual(CHATS.flatMap((c) => [1, 2].flatMap((r) => [0, 1, 2].map((i) => `сообщение ${r}.${i} в ${c}`))).sort());
    expect(fake.limitViolations()).toEqual([]);
    const [left] = (await h.db.execute(sql`select count(*) filter (where status <> 'sent')::int as n from outbox`)) as unknown as Array<{ n: number }>;
    expect(left!.n).toBe(0);
  });

  it("a dead sender's lease (not renewed) is taken over when it expires; a stopping sender hands the lease back", { timeout: 60_000 }, async () => {
    // "ghost" died holding the lease a moment ago: nothing is sent until the lease runs out.
    await h.db.execute(sql`insert into leases (name, holder, until) values ('outbox', 'ghost', clock_timestamp() + interval '3 seconds')
      on conflict (name) do update set holder = excluded.holder, until = excluded.until`);
    const before = fake.sent().length;
    await queue(3);
    const b = drainer(second, 'b');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(fake.sent().length).toBe(before);
    await eventually(() => (fake.sent().length === before + 12 ? true : undefined), 30_000, 'the 12 messages sent by b after the ghost lease expired');
    const [lease] = (await h.db.execute(sql`select holder from leases where name = 'outbox'`)) as unknown as Array<{ holder: string }>;
    expect(lease!.holder).toBe('b');
    b.stop();
    await b.stopped;
    // A stopping sender hands the lease back at once.
    const [left] = (await h.db.execute(sql`select count(*)::int as n from leases where name = 'outbox'`)) as unknown as Array<{ n: number }>;
    expect(left!.n).toBe(0);
    expect(fake.limitViolations()).toEqual([]);
  });
});

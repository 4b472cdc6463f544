/**
 * Issue 3, end to end across channels: one app polls a VK wall (VK fake), an OK group
 * (OK fake, signed requests), a public Telegram channel through t.me/s (HTML fake) and a
 * city chat through the staff bot (Bot API fake) in the same cycles. Then OK's token
 * expires (102) and the channel's preview redirects: those two go broken, admins are told
 * once each, and the VK and bot sources keep bringing new posts.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOkAdapter } from '../../adapters/ok/index.js';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import { posts, sources } from '../../src/db/schema.js';
import type { Channel } from '../../src/domain/post.js';
import type { ChannelAdapter } from '../../src/domain/source.js';
import { startOkFake, type OkFake } from '../fakes/ok-server.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';
import { startTmeFake, type TmeFake } from '../fakes/tme-server.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';
import { startVkWorld, type VkWorld } from './vk-world.js';

const MIN = 60_000;
const OK_KEYS = { applicationKey: 'CBAE2EAPP', applicationSecretKey: 'E2ESECRET0123', accessToken: 'tkn.e2e-access-token' };
const BOT_TOKEN = '222:e2e-staff-token';
const CITY_CHAT = { id: -1001000000077, type: 'supergroup', title: 'Соседи Северного' };
const VK_GROUP = 600_001;
const OK_GROUP = '870001';
const TME_CHANNEL = 'severny_vesti';

let h: Awaited<ReturnType<typeof openTestDb>>;
let vk: VkWorld;
let ok: OkFake;
let tme: TmeFake;
let tg: TelegramFake;

beforeAll(async () => {
  h = await openTestDb();
  vk = await startVkWorld();
  ok = await startOkFake(OK_KEYS, { now: () => vk.clock.now().getTime() });
  tme = await startTmeFake();
  tg = await startTelegramFake();
});
afterAll(async () => {
  await Promise.all([vk?.close(), ok?.close(), tme?.close(), tg?.close()]);
  await h?.close();
});

let messageId = 1;
function chatMessage(text: string): void {
  const date = Math.floor(vk.clock.now().getTime() / 1000);
  tg.pushUpdate(BOT_TOKEN, { message: { message_id: messageId++, date, chat: CITY_CHAT, from: { id: 7001, is_bot: false, first_name: 'Ирина' }, text } });
}

function adapters(): Map<Channel, ChannelAdapter> {
  return new Map<Channel, ChannelAdapter>([
    ['vk', vk.adapter()],
    ['ok', createOkAdapter({ ...OK_KEYS, baseUrl: ok.baseUrl, clock: vk.clock, timeoutMs: 2000, retryDelayMs: 1 })],
    ['telegram', createTelegramAdapter({ bot: { token: BOT_TOKEN, apiRoot: tg.apiRoot, clock: vk.clock }, tme: { baseUrl: tme.baseUrl, timeoutMs: 2000 } })],
  ]);
}

/** New posts per source reference since the last call. */
function postsBySource() {
  let last = new Map<string, number>();
  return async (): Promise<Record<string, number>> => {
    const rows = await h.db
      .select({ ref: sources.reference, n: sql<number>`count(${posts.id})::int` })
      .from(sources)
      .leftJoin(posts, eq(posts.sourceId, sources.id))
      .groupBy(sources.reference);
    const delta = Object.fromEntries(rows.map((r) => [r.ref, r.n - (last.get(r.ref) ?? 0)]));
    last = new Map(rows.map((r) => [r.ref, r.n]));
    return delta;
  };
}

describe('four kinds of source in one app', () => {
  it('one cycle reads all four; OK 102 and a t.me/s redirect break only those two', async () => {
    const { fake, clock } = vk;
    fake.addCommunity({ id: VK_GROUP });
    fake.addPost(VK_GROUP, { text: 'На остановке Северная разбито стекло павильона' });
    fake.addPost(VK_GROUP, { text: 'Когда отремонтируют дорогу к поликлинике?' });
    ok.addGroup({ id: OK_GROUP, name: 'Северный район' });
    const topic = ok.addTopic(OK_GROUP, { text: 'Третий день не работает лифт в доме 12' });
    ok.addComment(topic.id, { text: 'В соседнем подъезде тоже стоит' });
    tme.addChannel(TME_CHANNEL, { title: 'Северные вести' });
    tme.addPost(TME_CHANNEL, { text: 'Жители жалуются на запах от очистных', date: clock.now() });
    tme.addPost(TME_CHANNEL, { text: 'Во дворах не вывезли снег', date: clock.now() });
    tme.addPost(TME_CHANNEL, { text: 'Фонари на набережной не горят', date: clock.now() });
    chatMessage('У школы 5 прорвало трубу, течёт по тротуару');

    const told: string[] = [];
    const app = await createTestApp(h, {
      installation: testInstallation([
        { channel: 'vk', kind: 'wall', ref: `-${VK_GROUP}`, enabled: true, interval: 300, options: {} },
        { channel: 'ok', kind: 'group', ref: OK_GROUP, name: 'ОК: Северный район', enabled: true, interval: 300, options: {} },
        { channel: 'telegram', kind: 'tme', ref: TME_CHANNEL, name: 'Северные вести', enabled: true, interval: 300, options: {} },
        { channel: 'telegram', kind: 'bot', ref: 'staff', enabled: true, interval: 300, options: { chats: [String(CITY_CHAT.id)] } },
      ]),
      createAdapters: adapters,
      clock,
      notifier: { toAdmins: async (t) => void told.push(t), toManagers: async () => {}, send: async () => {} },
    });
    const fresh = postsBySource();

    expect(await app.poller.pollOnce({ force: true })).toEqual({ polled: 4, failed: 0, fetched: 8, newPosts: 8 });
    expect(await fresh()).toEqual({ [`-${VK_GROUP}`]: 2, [OK_GROUP]: 2, [TME_CHANNEL]: 3, staff: 1 });

    // OK's token expires, the channel turns its web preview off; new posts appear everywhere.
    ok.state.tokenExpired = true;
    tme.channels.get(TME_CHANNEL)!.redirect = true;
    fake.addPost(VK_GROUP, { text: 'Сосулька над входом в аптеку' });
    ok.addTopic(OK_GROUP, { text: 'Не вывозят мусор с площадки' });
    tme.addPost(TME_CHANNEL, { text: 'Пробка на мосту', date: clock.now() });
    chatMessage('Открытый люк во дворе дома 3');
    clock.advance(5 * MIN);
    expect(await app.poller.pollOnce()).toEqual({ polled: 2, failed: 2, fetched: 4, newPosts: 2 });
    expect(await fresh()).toEqual({ [`-${VK_GROUP}`]: 1, [OK_GROUP]: 0, [TME_CHANNEL]: 0, staff: 1 });

    const status = Object.fromEntries((await h.db.select().from(sources)).map((s) => [s.reference, s]));
    expect(status[OK_GROUP]).toMatchObject({ status: 'broken' });
    expect(status[OK_GROUP]!.lastError).toMatch(/102/);
    expect(status[TME_CHANNEL]).toMatchObject({ status: 'broken' });
    expect(status[TME_CHANNEL]!.lastError).toMatch(/redirect/);
    expect(status[`-${VK_GROUP}`]).toMatchObject({ status: 'ok', failures: 0 });
    expect(status.staff).toMatchObject({ status: 'ok', failures: 0 });
    expect(told).toHaveLength(2);
    expect(told.join('\n')).toContain('ОК: Северный район');
    expect(told.join('\n')).toContain('Северные вести');

    // Later cycles: the broken pair waits (and, forced, fails again without new notices); the others go on.
    for (const force of [false, true]) {
      fake.addPost(VK_GROUP, { text: `Не убрана наледь на крыльце, цикл ${force ? 'ручной' : 'плановый'}` });
      chatMessage(`Во дворе опять не горит фонарь, цикл ${force ? 'ручной' : 'плановый'}`);
      clock.advance(5 * MIN);
      const c = await app.poller.pollOnce({ force });
      expect(c).toMatchObject({ polled: 2, failed: force ? 2 : 0, newPosts: 2 });
      expect(await fresh()).toEqual({ [`-${VK_GROUP}`]: 1, [OK_GROUP]: 0, [TME_CHANNEL]: 0, staff: 1 });
    }
    expect(told).toHaveLength(2);
  });
});

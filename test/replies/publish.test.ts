import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import { createVkAdapter } from '../../adapters/vk/index.js';
import { ManualClock } from '../../src/clock.js';
import { incidentEvents, incidents, replies } from '../../src/db/schema.js';
import type { Channel, RawPost } from '../../src/domain/post.js';
import type { ChannelAdapter } from '../../src/domain/source.js';
import { createLogger } from '../../src/log.js';
import { storePosts } from '../../src/pipeline/store.js';
import { createReplyPublisher } from '../../src/replies/publish.js';
import { startTelegramFake } from '../fakes/telegram-server.js';
import { startVkFake } from '../fakes/vk-server.js';
import { createTestApp } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

const CITIZEN_TOKEN = '222:citizen-token';

describe('reply publisher: exactly once, crash or timeout', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  let vk: Awaited<ReturnType<typeof startVkFake>>;
  let tg: Awaited<ReturnType<typeof startTelegramFake>>;
  const clock = new ManualClock('2026-11-17T10:00:00+03:00');
  let adapters: Map<Channel, ChannelAdapter>;

  beforeAll(async () => {
    h = await openTestDb();
    vk = await startVkFake({ now: () => Math.floor(clock.now().getTime() / 1000), groupTokens: { 'group-token': 99 } });
    vk.addCommunity({ id: 4001 });
    vk.addPost(4001, { text: 'Нет отопления в доме на Ленина 5, батареи холодные' });
    tg = await startTelegramFake();
    adapters = new Map<Channel, ChannelAdapter>([
      ['vk', createVkAdapter({ groupToken: 'group-token', groupId: 99, apiBaseUrl: vk.apiBaseUrl, rps: 1000, groupRps: 1000, timeoutMs: 1000, retryDelayMs: 1, clock })],
      ['telegram', createTelegramAdapter({ bot: { citizenToken: CITIZEN_TOKEN, apiRoot: tg.apiRoot, sendTimeoutMs: 1500, clock } })],
    ]);
  });
  afterAll(async () => {
    await vk?.close();
    await tg?.close();
    await h?.close();
  });
  beforeEach(async () => h.reset());

  async function incidentFor(post: RawPost) {
    const app = await createTestApp(h, { clock });
    await storePosts(h.db, null, post.channel!, [post], clock.now());
    await app.processPending();
    const [inc] = await h.db.select().from(incidents);
    const publisher = createReplyPublisher({ db: h.db, adapters, clock, log: createLogger({ level: 'silent' }) });
    return { inc: inc!, publisher };
  }

  const vkPost: RawPost = {
    channel: 'vk', externalId: '-4001_1', kind: 'post', text: 'Нет отопления в доме на Ленина 5, батареи холодные', publishedAt: new Date('2026-11-17T09:00:00+03:00'), raw: {},
    replyTarget: { type: 'wall', owner_id: -4001, post_id: 1 },
  };
  const tgPost: RawPost = {
    channel: 'telegram', externalId: 'citizen:501/7', kind: 'message', text: 'Открытый люк во дворе дома 12 на Союзной', publishedAt: new Date('2026-11-17T09:00:00+03:00'), raw: {},
    replyTarget: { type: 'chat', chat_id: 501, message_id: 7, bot: 'citizen_bot' },
  };
  const ANSWER = 'Здравствуйте! Бригада выехала, отопление восстановят сегодня.';

  it('VK: the first attempt times out, the reply arrives once and the incident is answered', async () => {
    const { inc, publisher } = await incidentFor(vkPost);
    vk.failNext('wall.createComment', { delayMs: 3_000 });
    const id = await publisher.queue({ incidentId: inc.id, text: ANSWER, actor: 'user:1' });
    expect(await publisher.publish(id)).toBe('published');
    expect(await publisher.publish(id)).toBe('published'); // a second press does nothing
    expect(vk.state.created.filter((c) => c.text === ANSWER)).toHaveLength(1);
    const [after] = await h.db.select().from(incidents).where(eq(incidents.id, inc.id));
    expect(after).toMatchObject({ status: 'answered' });
    expect(after!.firstResponseAt).toEqual(clock.now());
    const events = await h.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, inc.id));
    expect(events.map((e) => e.toStatus)).toEqual(['new', 'answered']);
  });

  it('VK: a crash while sending is recovered by re-sending with the same key — still one comment', async () => {
    const { inc, publisher } = await incidentFor(vkPost);
    const id = await publisher.queue({ incidentId: inc.id, text: ANSWER, actor: 'user:1' });
    const before = vk.state.created.filter((c) => c.text === ANSWER).length;
    const [row] = await h.db.update(replies).set({ status: 'sending' }).where(eq(replies.id, id)).returning();
    // The process died right after the network call went out.
    await adapters.get('vk')!.reply!(vkPost.replyTarget!, ANSWER, row!.idempotencyKey);
    expect(await publisher.recover()).toMatchObject({ resent: 1, unconfirmed: 0 });
    expect(vk.state.created.filter((c) => c.text === ANSWER)).toHaveLength(before + 1);
    const [r] = await h.db.select().from(replies).where(eq(replies.id, id));
    expect(r!.status).toBe('published');
  });

  it('Telegram: a timeout leaves the reply unconfirmed for a person, never sent twice', async () => {
    const { inc, publisher } = await incidentFor(tgPost);
    tg.failNext('sendMessage', { delayMs: 4_000 });
    const id = await publisher.queue({ incidentId: inc.id, text: ANSWER, actor: 'user:1' });
    expect(await publisher.publish(id)).toBe('unconfirmed');
    expect(await publisher.publish(id)).toBe('unconfirmed');
    expect(tg.sent(501).filter((m) => m.text === ANSWER)).toHaveLength(1);
    const [after] = await h.db.select().from(incidents).where(eq(incidents.id, inc.id));
    expect(after!.status).toBe('new');
  });

  it('Telegram: a crash while sending is not re-sent blindly', async () => {
    const { inc, publisher } = await incidentFor(tgPost);
    const id = await publisher.queue({ incidentId: inc.id, text: ANSWER, actor: 'user:1' });
    await h.db.update(replies).set({ status: 'sending' }).where(eq(replies.id, id));
    const before = tg.sent(501).length;
    expect(await publisher.recover()).toMatchObject({ resent: 0, unconfirmed: 1 });
    expect(tg.sent(501).length).toBe(before);
  });

  it('an interim answer stops the first clock without answering the incident', async () => {
    const { inc, publisher } = await incidentFor(tgPost);
    const id = await publisher.queue({ incidentId: inc.id, text: 'Передали в управу, ответим после выезда.', interim: true, actor: 'user:1' });
    expect(await publisher.publish(id)).toBe('published');
    const [after] = await h.db.select().from(incidents).where(eq(incidents.id, inc.id));
    expect(after).toMatchObject({ status: 'interim' });
    expect(after!.firstResponseAt).toEqual(clock.now());
    expect(after!.answeredAt).toBeNull();
  });
});

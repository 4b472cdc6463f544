import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src/bot/invites.js';
import { needsModeratorLook } from '../../src/bot/set-aside.js';
import { incidents, labels, posts } from '../../src/db/schema.js';
import { openTestDb } from '../helpers/db.js';
import { CHATS, GROUP_ID, startBotWorld, type BotWorld, type Person } from './world.js';

const MODERATOR: Person = { id: 31, first_name: 'Мила', is_bot: false };
let db: Awaited<ReturnType<typeof openTestDb>>;
let w: BotWorld;

beforeAll(async () => {
  db = await openTestDb();
  w = await startBotWorld(db);
  const inv = await createInvite(w.app.db, { role: 'moderator', createdBy: 'test', now: w.clock.now() });
  await w.say(MODERATOR, MODERATOR.id, `/start ${inv.code}`);
});
afterAll(async () => {
  await w.close();
  await db.close();
});

describe('what the classifier set aside reaches the moderators', () => {
  it('only a confident trained model takes a post out of moderation; an LLM never does', () => {
    expect(needsModeratorLook({ kind: 'noise', topic: null, confidence: 0.99, by: 'model', needsReview: false, auto: true })).toBe(false);
    expect(needsModeratorLook({ kind: 'noise', topic: null, confidence: 0.99, by: 'model', needsReview: false })).toBe(true);
    expect(needsModeratorLook({ kind: 'noise', topic: null, confidence: 0.99, by: 'llm', needsReview: false, auto: true })).toBe(true);
    expect(needsModeratorLook({ kind: 'thanks', topic: null, confidence: 0.7, by: 'rules', needsReview: false })).toBe(true);
  });

  it('a zero-width joiner inside «яма» no longer hides the complaint', async () => {
    w.vk.addPost(GROUP_ID, { text: 'На улице Садовой огромная я\u200dма на дороге, пробил колесо', from_id: 801 });
    await w.app.poller.pollOnce({ force: true });
    await w.settle();
    const [post] = await w.app.db.select().from(posts).where(eq(posts.authorId, '801'));
    expect(post!.text).toContain('огромная яма');
    expect(post!.incidentId).not.toBeNull();
    expect(w.last(CHATS.moderators).text).toContain('огромная яма');
  });

  it('a post decided as noise comes as a compact digest with a one-tap «это инцидент»', async () => {
    w.vk.addPost(GROUP_ID, { text: 'Продам гараж недорого, звоните в личку', from_id: 802 });
    await w.app.poller.pollOnce({ force: true });
    await w.settle();
    const digest = w.last(CHATS.moderators);
    expect(digest.text).toContain('Не инциденты по мнению классификатора');
    expect(digest.text).toContain('Продам гараж');
    expect(w.buttons(digest)).toEqual(['1: это инцидент']);
    const before = await w.app.db.select().from(incidents);
    expect(await w.press(MODERATOR, digest, '1: это инцидент')).toBe('Инцидент открыт: карточка в чате модераторов');
    const after = await w.app.db.select().from(incidents);
    expect(after).toHaveLength(before.length + 1);
    expect(w.last(CHATS.moderators).text).toContain('Продам гараж');
    expect(w.buttons(w.last(CHATS.moderators))).toContain('🏷 Тема');
    const [label] = await w.app.db.select().from(labels).where(eq(labels.incidentId, after.at(-1)!.id));
    expect(label).toMatchObject({ kind: 'complaint', origin: 'moderator' });
    // A second press changes nothing.
    expect(await w.press(MODERATOR, digest, '1: это инцидент')).toContain('уже стала инцидентом');
  });
});

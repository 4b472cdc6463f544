import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src/bot/invites.js';
import { incidentEvents, incidents, posts, replies } from '../../src/db/schema.js';
import { openTestDb } from '../helpers/db.js';
import { CHATS, GROUP_ID, startBotWorld, type BotWorld, type Person } from './world.js';

const ADMIN: Person = { id: 11, first_name: 'Анна', last_name: 'Админова', is_bot: false };
const MODERATOR: Person = { id: 12, first_name: 'Марк', last_name: 'Модеров', is_bot: false };
const ROADS: Person = { id: 13, first_name: 'Дмитрий', last_name: 'Дорогин', is_bot: false };
const PRESS: Person = { id: 14, first_name: 'Полина', last_name: 'Прессова', is_bot: false };

let db: Awaited<ReturnType<typeof openTestDb>>;
let w: BotWorld;

beforeAll(async () => {
  db = await openTestDb();
  w = await startBotWorld(db);
});
afterAll(async () => {
  await w.close();
  await db.close();
});

const codeOf = (text: string | undefined) => /start=([\w-]+)/.exec(text ?? '')?.[1] ?? '';
const minutes = (ms: number) => Math.round(ms / 60_000);

describe('staff bot end to end: one VK complaint through every role to a published VK comment', () => {
  it('invites: the first admin from the CLI, then everyone else from the bot', async () => {
    const first = await createInvite(w.app.db, { role: 'admin', createdBy: 'cli', now: w.clock.now() });
    await w.say(ADMIN, ADMIN.id, `/start ${first.code}`);
    expect(w.last(ADMIN.id).text).toContain('Ваша роль: администратор');
    for (const [who, args] of [
      [MODERATOR, 'moderator'],
      [ROADS, 'department roads'],
      [PRESS, 'press'],
    ] as const) {
      await w.say(ADMIN, ADMIN.id, `/invite ${args}`);
      const link = w.last(ADMIN.id).text;
      expect(link).toMatch(/https:\/\/t\.me\/fake4242_bot\?start=/);
      await w.say(who, who.id, `/start ${codeOf(link)}`);
      expect(w.last(who.id).text).toContain('Добро пожаловать');
    }
  });

  it('a VK post becomes a moderators\' card within one cycle, with the classification and buttons', async () => {
    w.clock.advance(10 * 60_000);
    w.vk.addPost(GROUP_ID, { text: 'На улице Ленина огромная яма на дороге, вчера пробил колесо. Когда отремонтируют?', from_id: 777 });
    w.clock.advance(5 * 60_000);
    await w.app.poller.pollOnce({ force: true });
    await w.settle();
    const card = w.last(CHATS.moderators);
    expect(card.text).toContain('№ 1');
    expect(card.text).toContain('ВКонтакте');
    expect(card.text).toContain('огромная яма');
    expect(card.text).toContain('Тема: Ямы и выбоины на дороге (Дороги)');
    expect(card.text).toContain('Отдел: Комитет дорожного хозяйства');
    expect(card.text).toContain('Срок:');
    expect(card.text).toContain('Статус: <b>Новый</b>');
    expect(w.buttons(card)).toEqual(['✅ Подтвердить → Комитет дорожного хозяйства…', '🏷 Тема', '🏢 Отдел', '🚫 Не инцидент', '🔗 Объединить', '↪ Перенаправить']);
  });

  it('moderator changes the topic (deadline recomputed) and confirms; the card is edited in place', async () => {
    const card = w.last(CHATS.moderators);
    await w.press(MODERATOR, card, '🏷 Тема');
    expect(w.buttons(w.last(CHATS.moderators))).toContain('⭐ Ямы и выбоины на дороге');
    await w.press(MODERATOR, w.last(CHATS.moderators), 'Дороги');
    await w.press(MODERATOR, w.last(CHATS.moderators), 'Содержание, ремонт и обустройство тротуаров');
    const changed = w.last(CHATS.moderators);
    expect(changed.messageId).toBe(card.messageId);
    expect(changed.text).toContain('Тема: Содержание, ремонт и обустройство тротуаров (Дороги)');
    expect(await w.press(MODERATOR, changed, '✅ Подтвердить')).toBe('Назначено отделу');
    const done = w.last(CHATS.moderators);
    expect(done.text).toContain('Статус: <b>Назначен</b> — Марк Модеров');
    expect(w.buttons(done)).toEqual([]);
    expect(w.tg.messages(CHATS.moderators)).toHaveLength(1);
  });

  it('department takes it, answers with a photo as a reply to the bot', async () => {
    const card = w.last(CHATS.roads);
    expect(card.text).toContain('№ 1');
    expect(w.buttons(card)).toEqual(['🛠 Взять в работу', '✍ Ответить', '⏳ Промежуточный ответ', '↩ Не наше']);
    w.clock.advance(20 * 60_000);
    expect(await w.press(ROADS, card, '🛠 Взять')).toBe('Взято в работу');
    expect(w.tg.messages(CHATS.roads)[0]!.text).toContain('Статус: <b>В работе</b> — Дмитрий Дорогин');
    await w.press(ROADS, w.tg.messages(CHATS.roads)[0]!, '✍ Ответить');
    const question = w.last(CHATS.roads);
    expect(question.text).toContain('напишите суть ответа');
    w.clock.advance(30 * 60_000);
    w.tg.putFile('ph-big', Buffer.alloc(2048, 7));
    w.tg.putFile('ph2-big', Buffer.alloc(1024, 9));
    await w.say(ROADS, CHATS.roads, '', {
      text: undefined,
      caption: 'Яму на ул. Ленина заделали 17 ноября, бригада выезжала утром',
      photo: [{ file_id: 'ph-small', width: 90, height: 90 }, { file_id: 'ph-big', width: 800, height: 600 }],
      reply_to_message: { message_id: question.messageId, date: 0, chat: { id: Number(CHATS.roads), type: 'supergroup' } },
    });
    const [row] = await w.app.db.select().from(incidents);
    expect(row!.status).toBe('ready');
    // The album's second photo comes as its own message, without a caption: it joins the answer.
    await w.say(ROADS, CHATS.roads, '', {
      text: undefined,
      photo: [{ file_id: 'ph2-big', width: 800, height: 600 }],
      reply_to_message: { message_id: question.messageId, date: 0, chat: { id: Number(CHATS.roads), type: 'supergroup' } },
    });
    expect(w.last(CHATS.roads).text).toBe('№ 1: Фото добавлено к ответу (всего: 2)');
  });

  it('press sees the draft, edits it, publishes: a VK comment appears and the cards say so', async () => {
    const card = w.last(CHATS.press);
    expect(card.text).toContain('Ответ отдела:</b> Яму на ул. Ленина заделали');
    expect(card.text).toContain('(+ фото: 2)');
    expect(card.text).toContain('Черновик ответа:</b>\nЗдравствуйте!');
    expect(w.buttons(card)).toEqual(['📤 Опубликовать', '✏️ Изменить', '🔗 Опубликовано вручную', '↩ Вернуть отделу']);
    await w.press(PRESS, card, '✏️ Изменить');
    const q = w.last(CHATS.press);
    await w.say(PRESS, CHATS.press, 'Здравствуйте! Яму на улице Ленина заделали 17 ноября. Спасибо, что сообщили.', { reply_to_message: { message_id: q.messageId, date: 0, chat: { id: Number(CHATS.press), type: 'supergroup' } } });
    expect(w.tg.messages(CHATS.press)[0]!.text).toContain('(правка пресс-службы)');
    w.clock.advance(10 * 60_000);
    expect(await w.press(PRESS, w.tg.messages(CHATS.press)[0]!, '📤 Опубликовать')).toBe('Ответ опубликован');
    expect(w.vk.state.created.map((c) => c.text)).toEqual(['Здравствуйте! Яму на улице Ленина заделали 17 ноября. Спасибо, что сообщили.']);
    // The department's photo went along: uploaded to the wall upload server and attached to the comment.
    expect(w.vk.uploads).toEqual([{ filename: 'ph-big.jpg', size: 2048 }, { filename: 'ph2-big.jpg', size: 1024 }]);
    expect([...w.vk.commentAttachments.values()]).toEqual([`photo-${GROUP_ID}_456000,photo-${GROUP_ID}_456001`]);
    const press = w.tg.messages(CHATS.press)[0]!;
    expect(press.text).toContain('Ответ опубликован');
    expect(w.buttons(press)).toEqual([]);
    expect(w.tg.messages(CHATS.moderators)[0]!.text).toContain('Статус: <b>Ответ дан</b> — Полина Прессова');
  });

  it('records the events and both response times', async () => {
    const [inc] = await w.app.db.select().from(incidents);
    const [post] = await w.app.db.select().from(posts).where(eq(posts.id, inc!.firstPostId));
    const events = await w.app.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, inc!.id)).orderBy(asc(incidentEvents.id));
    expect(events.map((e) => `${e.type}:${e.toStatus ?? ''}:${e.actor}`)).toEqual([
      'created:new:pipeline',
      'reclassified::user:12',
      'status:assigned:user:12',
      'status:in_work:user:13',
      'status:ready:user:13',
      'status:answered:user:14',
    ]);
    const [reply] = await w.app.db.select().from(replies);
    expect(reply).toMatchObject({ status: 'published', createdBy: 'user:14' });
    // Published 5 min before detection; answered 60 min after detection.
    expect(minutes(inc!.firstResponseAt!.getTime() - inc!.detectedAt.getTime())).toBe(60);
    expect(minutes(inc!.firstResponseAt!.getTime() - post!.publishedAt.getTime())).toBe(65);
    expect(w.tg.messages(CHATS.moderators)[0]!.text).toContain('Первый ответ: через 1 ч 05 мин после публикации, 1 ч 00 мин после обнаружения');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src/bot/invites.js';
import { seenChats } from '../../src/db/schema.js';
import { openTestDb } from '../helpers/db.js';
import { BOT_TOKEN, CHATS, GROUP_ID, startBotWorld, type BotWorld, type Person } from './world.js';

const MODERATOR: Person = { id: 41, first_name: 'Милена', is_bot: false };
const ROADS: Person = { id: 42, first_name: 'Денис', is_bot: false };
let db: Awaited<ReturnType<typeof openTestDb>>;
let w: BotWorld;

beforeAll(async () => {
  db = await openTestDb();
  w = await startBotWorld(db);
  for (const [who, role, dept] of [[MODERATOR, 'moderator', null], [ROADS, 'department', 'roads']] as const) {
    const inv = await createInvite(w.app.db, { role, departmentCode: dept, createdBy: 'test', now: w.clock.now() });
    await w.say(who, who.id, `/start ${inv.code}`);
  }
  w.vk.addPost(GROUP_ID, { text: 'На Московской улице яма на дороге глубиной >30 см, <ужас> & машины бьют диски', from_id: 901 });
  await w.app.poller.pollOnce({ force: true });
  await w.settle();
});
afterAll(async () => {
  await w.close();
  await db.close();
});

describe('staff bot commands', () => {
  it('/help lists the commands and says what the role does', async () => {
    await w.say(MODERATOR, MODERATOR.id, '/help');
    expect(w.last(MODERATOR.id).text).toContain('/incident &lt;номер&gt;');
    expect(w.last(MODERATOR.id).text).toContain('карточки новых инцидентов');
  });

  it('/incident N shows the card with the citizen\'s text escaped', async () => {
    await w.say(MODERATOR, MODERATOR.id, '/incident 1');
    const text = w.last(MODERATOR.id).text!;
    expect(text).toContain('<b>№ 1</b>');
    expect(text).toContain('глубиной &gt;30 см, &lt;ужас&gt; &amp; машины');
  });

  it('/find and /my find the incident; /overdue lists it once the deadline has passed', async () => {
    await w.say(MODERATOR, MODERATOR.id, '/find московской');
    expect(w.last(MODERATOR.id).text).toContain('№ 1 · Новый');
    await w.say(MODERATOR, MODERATOR.id, '/my');
    expect(w.last(MODERATOR.id).text).toContain('№ 1');
    await w.say(ROADS, ROADS.id, '/overdue');
    expect(w.last(ROADS.id).text).toBe('Просроченных нет.');
    w.clock.advance(3 * 86_400_000);
    await w.say(ROADS, ROADS.id, '/overdue');
    expect(w.last(ROADS.id).text).toContain('<b>Просрочены</b>\n№ 1');
  });

  it('added to a group, the bot tells the chat its id and title, and remembers it for `otklik chats`', async () => {
    w.tg.pushUpdate(BOT_TOKEN, {
      my_chat_member: {
        chat: { id: -1007777, type: 'supergroup', title: 'Отдел благоустройства' },
        from: { id: 41, is_bot: false, first_name: 'Милена' },
        date: 0,
        old_chat_member: { status: 'left', user: { id: 4242, is_bot: true, first_name: 'bot' } },
        new_chat_member: { status: 'member', user: { id: 4242, is_bot: true, first_name: 'bot' } },
      },
    });
    await w.settle();
    expect(w.last(-1007777).text).toContain('ID чата: <code>-1007777</code>');
    expect(w.last(CHATS.admins).text).toContain('Бот добавлен в чат «Отдел благоустройства»');
    const seen = await w.app.db.select().from(seenChats);
    expect(seen).toContainEqual(expect.objectContaining({ chatId: '-1007777', title: 'Отдел благоустройства', botStatus: 'member' }));
  });
});

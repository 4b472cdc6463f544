import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src/bot/invites.js';
import { incidentEvents, incidents } from '../../src/db/schema.js';
import { openTestDb } from '../helpers/db.js';
import { BOT_TOKEN, CHATS, GROUP_ID, startBotWorld, type BotWorld, type Person } from './world.js';

const STRANGER: Person = { id: 66, first_name: 'Незнакомец', is_bot: false };
const MODERATOR: Person = { id: 21, first_name: 'Мира', is_bot: false };
const HOUSING: Person = { id: 22, first_name: 'Жанна', is_bot: false };
const LATE: Person = { id: 23, first_name: 'Опоздавший', is_bot: false };

let db: Awaited<ReturnType<typeof openTestDb>>;
let w: BotWorld;

const join = async (who: Person, role: 'moderator' | 'department', dept?: string) => {
  const inv = await createInvite(w.app.db, { role, departmentCode: dept ?? null, createdBy: 'test', now: w.clock.now() });
  await w.say(who, who.id, `/start ${inv.code}`);
  return inv.code;
};

const refusals = async () => (await w.app.db.select().from(incidentEvents).where(eq(incidentEvents.type, 'refused'))).map((e) => ({ actor: e.actor, ...(e.data as object) }));

beforeAll(async () => {
  db = await openTestDb();
  w = await startBotWorld(db);
  await join(MODERATOR, 'moderator');
  await join(HOUSING, 'department', 'housing');
  w.vk.addPost(GROUP_ID, { text: 'На проспекте Дружбы яма на дороге уже неделю, машины объезжают по встречке', from_id: 501 });
  await w.app.poller.pollOnce({ force: true });
  await w.settle();
});
afterAll(async () => {
  await w.close();
  await db.close();
});

describe('staff bot refusals', () => {
  it('a stranger pressing a moderator button is refused politely, and it is written down', async () => {
    const answer = await w.press(STRANGER, w.last(CHATS.moderators), '✅ Подтвердить');
    expect(answer).toContain('Извините, вы не зарегистрированы в боте');
    expect(w.tg.callbackAnswers.at(-1)).toMatchObject({ show_alert: true });
    const [inc] = await w.app.db.select().from(incidents);
    expect(inc!.status).toBe('new');
    expect(await refusals()).toContainEqual(expect.objectContaining({ actor: 'user:66', action: 'confirm' }));
  });

  it('a department member cannot act on another department\'s incident', async () => {
    await w.press(MODERATOR, w.last(CHATS.moderators), '✅ Подтвердить');
    const roadsCard = w.last(CHATS.roads);
    const answer = await w.press(HOUSING, roadsCard, '🛠 Взять');
    expect(answer).toBe('Извините, этот инцидент назначен другому отделу.');
    const [inc] = await w.app.db.select().from(incidents);
    expect(inc!.status).toBe('assigned');
    expect(await refusals()).toContainEqual(expect.objectContaining({ actor: 'user:22', action: 'take', role: 'department' }));
  });

  it('a role without the permission is refused (a moderator cannot take work)', async () => {
    expect(await w.press(MODERATOR, w.last(CHATS.roads), '🛠 Взять')).toContain('недоступно вашей роли (модератор)');
  });

  it('an invite works once', async () => {
    const code = await join(LATE, 'moderator');
    await w.say(STRANGER, STRANGER.id, `/start ${code}`);
    expect(w.last(STRANGER.id).text).toBe('Не получилось войти: это приглашение уже использовано. Попросите у администратора новое приглашение.');
  });

  it('an expired invite is refused', async () => {
    const inv = await createInvite(w.app.db, { role: 'moderator', createdBy: 'test', now: w.clock.now() });
    w.clock.advance(7 * 86_400_000 + 60_000);
    await w.say(STRANGER, STRANGER.id, `/start ${inv.code}`);
    expect(w.last(STRANGER.id).text).toContain('срок приглашения истёк');
  });

  it('a forged callback payload is refused and logged, whatever it claims', async () => {
    for (const data of ['c:AAAAAAAAAAAA', 'confirm:1', 'c:' + 'x'.repeat(70)]) {
      const before = w.tg.callbackAnswers.length;
      w.tg.pushUpdate(BOT_TOKEN, { callback_query: { id: `forged-${data.length}`, from: MODERATOR, chat_instance: 'ci', data, message: { message_id: 1, date: 0, chat: { id: Number(CHATS.moderators), type: 'supergroup', title: 'М' } } } });
      await w.settle();
      expect(w.tg.callbackAnswers[before]).toMatchObject({ show_alert: true, text: expect.stringContaining('недействительна') });
    }
    const [inc] = await w.app.db.select().from(incidents);
    expect(inc!.status).toBe('assigned');
  });

  it('commands are checked too: a stranger cannot invite or list users', async () => {
    await w.say(STRANGER, STRANGER.id, '/invite admin');
    expect(w.last(STRANGER.id).text).toContain('Извините, вы не зарегистрированы');
    await w.say(MODERATOR, MODERATOR.id, '/users');
    expect(w.last(MODERATOR.id).text).toContain('недоступно вашей роли');
  });
});

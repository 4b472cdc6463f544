import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src/bot/invites.js';
import { startWebhook } from '../../src/bot/webhook.js';
import { sources } from '../../src/db/schema.js';
import { openTestDb } from '../helpers/db.js';
import { startBotWorld, type BotWorld } from './world.js';

let db: Awaited<ReturnType<typeof openTestDb>>;
let w: BotWorld;
let hook: Awaited<ReturnType<typeof startWebhook>>;
const SECRET = 'webhook_Secret-42';

beforeAll(async () => {
  db = await openTestDb();
  w = await startBotWorld(db);
  hook = await startWebhook(w.app, w.rt, { url: 'https://bot.example.org/tg/hook', secret: SECRET, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await hook.stop();
  await w.close();
  await db.close();
});

const post = (update: object, secret?: string) =>
  fetch(`http://127.0.0.1:${hook.port}/tg/hook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) }, body: JSON.stringify(update) });

describe('staff bot in webhook mode', () => {
  it('registers the webhook with its secret token', () => {
    const set = w.tg.calls.find((c) => c.method === 'setWebhook');
    expect(set?.payload).toMatchObject({ url: 'https://bot.example.org/tg/hook', secret_token: SECRET });
  });

  it('refuses a request without the right secret and handles nothing; with it, the update is handled before 200', async () => {
    const inv = await createInvite(w.app.db, { role: 'admin', createdBy: 'test', now: w.clock.now() });
    const start = (id: number) => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: 71, type: 'private', first_name: 'Ада' }, from: { id: 71, is_bot: false, first_name: 'Ада' }, text: `/start ${inv.code}`, entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });
    expect((await post(start(1))).status).toBe(401);
    expect((await post(start(2), 'wrong-secret-value')).status).toBe(401);
    await w.rt.sender.drainAll();
    expect(w.tg.messages(71)).toEqual([]);
    expect((await post(start(3), SECRET)).status).toBe(200);
    await w.rt.sender.drainAll();
    expect(w.last(71).text).toContain('Ваша роль: администратор');
  });

  it('while another instance holds the staff source (its lease in the database), an update waits for it, and is refused (503, redelivered by Telegram) when that lasts too long', async () => {
    const inv = await createInvite(w.app.db, { role: 'admin', createdBy: 'test', now: w.clock.now() });
    const start = (id: number, chat: number) => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: chat, type: 'private', first_name: 'Боб' }, from: { id: chat, is_bot: false, first_name: 'Боб' }, text: `/start ${inv.code}`, entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });
    const staff = and(eq(sources.channel, 'telegram'), eq(sources.kind, 'bot'));
    const holdBy = (owner: string | null) => w.app.db.update(sources).set({ leaseOwner: owner, leaseUntil: owner ? new Date(w.clock.now().getTime() + 60_000) : null }).where(staff);
    // Another instance is mid-round; it finishes 600 ms later.
    await holdBy('other-instance');
    const answered = post(start(10, 72), SECRET);
    await new Promise((r) => setTimeout(r, 600));
    await holdBy(null);
    expect((await answered).status).toBe(200);
    await w.rt.sender.drainAll();
    expect(w.last(72).text).toContain('Ваша роль');
    // The other instance keeps the source past the patience: 503, and nothing is kept in memory.
    const patient = await startWebhook(w.app, w.rt, { url: 'https://bot.example.org/tg/hook2', secret: SECRET, port: 0, host: '127.0.0.1', busyPatienceMs: 500 });
    try {
      await holdBy('other-instance');
      const res = await fetch(`http://127.0.0.1:${patient.port}/tg/hook2`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(start(11, 73)) });
      expect(res.status).toBe(503);
      expect(w.app.staffIntake.pushed).toEqual([]);
    } finally {
      await holdBy(null);
      await patient.stop();
    }
    await w.rt.sender.drainAll();
    expect(w.tg.messages(73)).toEqual([]);
  });
});
